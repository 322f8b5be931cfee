import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { ImportCursor, ImportWarning } from "@/core/imports/import-record";
import type { MappingOverride } from "@/core/imports/map-header";
import type { ImportTagsTarget } from "@/core/imports/validate-import-record";
import { workspaces } from "./workspaces";

export const importStatus = pgEnum("import_status", ["queued", "running", "completed", "failed", "cancelled"]);
/**
 * create-only: existing contacts are reported as failed rows; upsert: existing contacts get the
 * file's non-empty values; skip-existing: existing contacts are left alone (counted as skipped).
 */
export const importMode = pgEnum("import_mode", ["create-only", "upsert", "skip-existing"]);

/**
 * One uploaded contacts file and its progress. `cursor` is the reader's ImportCursor after the
 * last committed chunk: it moves in the same transaction as that chunk's writes, so a retry
 * resumes exactly there.
 */
export const imports = pgTable(
  "imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    status: importStatus("status").notNull().default("queued"),
    mode: importMode("mode").notNull().default("upsert"),
    /** Checked against the workspace at upload; re-checked by every chunk's membership insert. */
    listId: uuid("list_id"),
    fileKey: text("file_key").notNull(),
    fileName: text("file_name").notNull(),
    sha256: text("sha256").notNull(),
    bytes: bigint("bytes", { mode: "number" }).notNull(),
    /** XLSX sheet asked for; null = first sheet. */
    sheetName: text("sheet_name"),
    /** csv | xlsx, once the file has been inspected. */
    kind: text("kind"),
    mapping: jsonb("mapping").$type<MappingOverride>().notNull().default(sql`'{}'::jsonb`),
    /** Where the file's tags, labels, groups and categories go: attribute `tags`, or lists of those names. */
    tagsAs: text("tags_as").$type<ImportTagsTarget>().notNull().default("attribute"),
    /** SHA-256 of the canonical mapping, sheet and tags target: part of the "same upload" key. */
    mappingHash: text("mapping_hash").notNull(),
    /** Records per chunk step, fixed per import so step boundaries never move between retries. */
    chunkRows: integer("chunk_rows").notNull(),
    total: integer("total"),
    processed: integer("processed").notNull().default(0),
    inserted: integer("inserted").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    cursor: jsonb("cursor").$type<ImportCursor>(),
    warnings: jsonb("warnings").$type<ImportWarning[]>().notNull().default(sql`'[]'::jsonb`),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    /** When `clean-temporary-data` removed the uploaded file (finished or failed past TEMP_FILE_MAX_AGE_HOURS). */
    fileDeletedAt: timestamp("file_deleted_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    // Posting the same file with the same options again finds this row instead of importing twice.
    uniqueIndex("imports_workspace_upload_key").on(
      t.workspaceId,
      t.sha256,
      t.mode,
      sql`coalesce(${t.listId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.mappingHash,
    ),
    index("imports_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
  ],
);

/** One rejected (or skipped-as-duplicate) row problem; the error report is these, in line order. */
export const importErrors = pgTable(
  "import_errors",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    importId: uuid("import_id")
      .notNull()
      .references(() => imports.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    line: integer("line").notNull(),
    column: text("column"),
    reason: text("reason").notNull(),
    /** The offending value, truncated (IMPORT_ERROR_VALUE_MAX_CHARS). */
    value: text("value"),
  },
  (t) => [index("import_errors_import_line_idx").on(t.importId, t.line, t.id)],
);

/**
 * Every contact an import wrote or matched, with the line that did it. Serves in-file
 * de-duplication across chunks (a later row for the same contact is a duplicate) and enrichment
 * of the inserted contacts once the import has finished (keyset over them).
 *
 * No foreign keys, on purpose: an import writes a row here for each contact it inserts, and
 * checking both keys (an index probe and a lock on the contact just inserted, for every row)
 * cost more than writing the row itself. Rows go with their import or their contact all the
 * same: statement-level triggers delete them (migration 0011), which is also why contact_id has
 * an index of its own.
 */
export const importContacts = pgTable(
  "import_contacts",
  {
    importId: uuid("import_id").notNull(),
    contactId: uuid("contact_id").notNull(),
    line: integer("line").notNull(),
    inserted: boolean("inserted").notNull(),
  },
  (t) => [primaryKey({ name: "import_contacts_pkey", columns: [t.importId, t.contactId] }), index("import_contacts_contact_idx").on(t.contactId)],
);
