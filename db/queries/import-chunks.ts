import type { Database } from "@/db";
import { CONTACT_TEXT_FIELD_COLUMNS, CONTACT_TEXT_FIELD_KEYS } from "@/core/contacts/contact-fields";
import type { ImportCursor } from "@/core/imports/import-record";
import type { ImportRowProblem, ValidContactRow } from "@/core/imports/validate-import-record";
import { storableJson } from "@/core/text/storable-text";
import { type ChunkSql, inChunkTransaction } from "@/db/chunk-transaction";
import type { StageColumn } from "@/db/staged-rows";
import { uniqueViolation } from "./unique-violation";

/** What one chunk changed, and the import's running totals after it. */
export interface ChunkCounters {
  processed: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
}

/**
 * A row the database refused, with its own words: they can quote internals (index names, the
 * statement), so the caller logs them and the import's report names the error code only.
 */
export type RefusedRow = { line: number; code: string; message: string };

export type ChunkMergeResult = { merged: true; totals: ChunkCounters; cursor: ImportCursor; refused: RefusedRow[] } | { merged: false };


/**
 * Joins a row's list names in the stage's text column (unit separator, which splitTags never lets
 * into a name): plain text stages alike through COPY and through the JSON parameter the embedded
 * server's path uses.
 */
const LIST_SEPARATOR = "\u001f";

const STAGE_COLUMNS: readonly StageColumn[] = [
  { name: "ord", type: "integer" },
  { name: "line", type: "integer" },
  ...CONTACT_TEXT_FIELD_COLUMNS.map((name) => ({ name, type: "text" }) as const),
  { name: "birthday", type: "date" },
  { name: "birthday_month", type: "smallint" },
  { name: "birthday_day", type: "smallint" },
  { name: "attributes", type: "jsonb" },
  { name: "lists", type: "text" },
];

const CREATE_STAGE = `
  CREATE TEMP TABLE import_stage (
    ord integer NOT NULL, line integer NOT NULL, email text, phone text, first_name text, last_name text,
    locale text, timezone text, birthday date, birthday_month smallint, birthday_day smallint, attributes jsonb NOT NULL, lists text,
    by_email uuid, by_phone uuid, phone_owner_email text, contact_id uuid,
    outcome text, reason text, reason_column text, reason_value text, warning text, warning_value text,
    -- The id the row's contact gets if it is new, drawn as the row is staged: the insert and
    -- everything recorded about it use it directly, never a join back on email or phone.
    new_id uuid NOT NULL DEFAULT uuidv7()
  ) ON COMMIT DROP`;

/** What the statements of a batch's merge depend on. */
interface BatchFacts {
  /** Rows that matched an existing contact. */
  matched: number;
  /** Whether the insert met a contact another write created since the match (see INSERT_NEW). */
  raced: boolean;
  /** Whether any row names lists (tags as lists). */
  withLists: boolean;
}

type MergeStatement = {
  text: string;
  params: (p: MergeParams) => unknown[];
  /** Whether the statement can do anything for this batch; skipped otherwise. */
  when?: (batch: BatchFacts, merge: MergeParams) => boolean;
};

/**
 * Matches existing contacts by lower(email) and by phone: two index probes per staged row. The
 * LIMIT 1 subqueries (the keys are unique anyway) keep the planner from turning this into a hash
 * join over every contact in the workspace, which made each chunk cost O(workspace size). Only
 * matched rows are written, so a batch of new contacts leaves the stage untouched, and the count
 * tells which of the statements below have anything to do. $1 workspace.
 */
const MATCH_EXISTING = `
  WITH matched AS (
    SELECT s.ord, e.id AS by_email, p.id AS by_phone, p.email AS phone_owner_email
    FROM import_stage s
    LEFT JOIN LATERAL (SELECT c.id FROM contacts c
                       WHERE c.workspace_id = $1::uuid AND lower(c.email) = s.email LIMIT 1) e ON s.email IS NOT NULL
    LEFT JOIN LATERAL (SELECT c.id, c.email FROM contacts c
                       WHERE c.workspace_id = $1::uuid AND c.phone = s.phone LIMIT 1) p ON s.phone IS NOT NULL
    WHERE e.id IS NOT NULL OR p.id IS NOT NULL),
  updated AS (
    UPDATE import_stage s SET by_email = m.by_email, by_phone = m.by_phone, phone_owner_email = m.phone_owner_email,
      contact_id = coalesce(m.by_email, m.by_phone)
    FROM matched m WHERE s.ord = m.ord
    RETURNING 1)
  SELECT count(*)::int AS matched FROM updated`;

// After the match, a row's outcome is NULL while it is new, and its contact is
// coalesce(contact_id, new_id): the new contact's id was drawn as the row was staged, so nothing
// is written back to the stage for the rows that are only inserted.
const KEPT = `(outcome IS NULL OR outcome IN ('update', 'existing'))`;
const CONTACT = "coalesce(contact_id, new_id)";

// Statements that only concern matched rows, in order; $1 workspace, $2 import, $3 mode.
const CLASSIFY_MATCHED: MergeStatement[] = [
  // A row that names a contact pending erasure (by email or phone) is skipped with a warning:
  // an import never writes to, and never un-hides, a contact whose erasure was requested. The
  // address is not copied into the report.
  {
    text: `UPDATE import_stage s SET outcome = 'duplicate', reason_value = NULL,
             reason_column = CASE WHEN EXISTS (SELECT 1 FROM contacts c WHERE c.id = s.by_email AND c.erasure_requested_at IS NOT NULL) THEN 'email' ELSE 'phone' END,
             reason = 'skipped: this contact is pending erasure; the row was not imported'
           WHERE s.outcome IS NULL AND EXISTS (
             SELECT 1 FROM contacts c WHERE c.id IN (s.by_email, s.by_phone) AND c.erasure_requested_at IS NOT NULL)`,
    params: () => [],
  },
  // A phone that belongs to a different person than the email: writing it would break the phone
  // key. The email identifies the row, so (as for an invalid phone beside a valid email) the
  // contact is imported without the phone, with a warning — as a new contact when the email is new.
  {
    text: `UPDATE import_stage SET warning = 'warning: phone already belongs to another contact; imported without it',
             warning_value = phone, phone = NULL, by_phone = NULL, contact_id = by_email
           WHERE (by_email IS NOT NULL AND by_phone IS NOT NULL AND by_email <> by_phone)
              OR (by_email IS NULL AND by_phone IS NOT NULL AND email IS NOT NULL AND phone_owner_email IS NOT NULL)`,
    params: () => [],
  },
  // A contact an earlier chunk of this file already wrote: a duplicate row, skipped. Probed per
  // matched row (LIMIT 1 again), never a scan of everything this import has written so far.
  {
    text: `WITH earlier AS (
             SELECT s.ord, ic.line FROM import_stage s
             CROSS JOIN LATERAL (SELECT ic.line FROM import_contacts ic
                                 WHERE ic.import_id = $1::uuid AND ic.contact_id = s.contact_id LIMIT 1) ic
             WHERE s.outcome IS NULL AND s.contact_id IS NOT NULL)
           UPDATE import_stage s SET outcome = 'duplicate', reason_value = coalesce(s.email, s.phone),
             reason = 'skipped: duplicate of line ' || e.line || ' (same contact)'
           FROM earlier e WHERE s.ord = e.ord`,
    params: (p) => [p.importId],
  },
  {
    text: `UPDATE import_stage SET
             outcome = CASE WHEN $1::text = 'upsert' THEN 'update' WHEN $1::text = 'skip-existing' THEN 'existing' ELSE 'failed' END,
             reason = CASE WHEN $1::text = 'create-only'
                           THEN 'a contact with this ' || CASE WHEN by_email IS NOT NULL THEN 'email' ELSE 'phone' END || ' already exists' END,
             reason_column = CASE WHEN by_email IS NOT NULL THEN 'email' ELSE 'phone' END,
             reason_value = CASE WHEN by_email IS NOT NULL THEN email ELSE phone END
           WHERE outcome IS NULL AND contact_id IS NOT NULL`,
    params: (p) => [p.mode],
  },
];

/**
 * Inserts the new rows with the ids drawn at staging. The matching above found every existing
 * contact, so a conflict here means another write (the API) created the same email or phone
 * meanwhile. The plain INSERT is tried first because ON CONFLICT's speculative insertion costs
 * about a third more per row; only when it hits a unique violation does the batch fall back to
 * ON CONFLICT DO NOTHING (no conflict target), which leaves those rows alone, and RACED_ROWS
 * reports them. $1 workspace.
 */
const insertNew = (onConflict: string) => `
  INSERT INTO contacts (id, workspace_id, email, phone, first_name, last_name, locale, timezone, birthday, birthday_month, birthday_day, attributes)
  SELECT new_id, $1::uuid, email, phone, first_name, last_name, locale, timezone, birthday, birthday_month, birthday_day, attributes
  FROM import_stage WHERE outcome IS NULL ORDER BY ord
  ${onConflict}`;
const INSERT_NEW = insertNew("");
const INSERT_NEW_UNLESS_TAKEN = insertNew("ON CONFLICT DO NOTHING");
const RACED_ROWS = `
  UPDATE import_stage s SET outcome = 'failed', reason = 'another write created this contact at the same moment; import the file again'
  WHERE s.outcome IS NULL AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = s.new_id)`;

// The rest of the merge, in order; $1 workspace, $2 import, $3 mode, $4 list (null = none).
const WRITE_STATEMENTS: MergeStatement[] = [
  // Upsert: only values the file has; status and unsubscribed_at are never in the statement,
  // so an import cannot resubscribe anyone. Attributes are merged, never replaced. A birthday
  // without a year keeps the stored year when month and day agree (an address book's "--11-23"
  // for someone known to be born on 1990-11-23), and replaces the date when they do not.
  {
    text: `UPDATE contacts c SET
             email = coalesce(s.email, c.email), phone = coalesce(s.phone, c.phone),
             first_name = coalesce(s.first_name, c.first_name), last_name = coalesce(s.last_name, c.last_name),
             locale = coalesce(s.locale, c.locale), timezone = coalesce(s.timezone, c.timezone),
             birthday = CASE WHEN s.birthday_month IS NULL OR s.birthday IS NOT NULL THEN coalesce(s.birthday, c.birthday)
                             WHEN c.birthday_month = s.birthday_month AND c.birthday_day = s.birthday_day THEN c.birthday END,
             birthday_month = coalesce(s.birthday_month, c.birthday_month), birthday_day = coalesce(s.birthday_day, c.birthday_day),
             attributes = c.attributes || s.attributes, updated_at = now()
           FROM import_stage s
           WHERE s.outcome = 'update' AND c.id = s.contact_id AND c.workspace_id = $1::uuid`,
    params: (p) => [p.workspaceId],
    when: (batch, merge) => batch.matched > 0 && merge.mode === "upsert",
  },
  // This import's record of its contacts. Only matched rows can name one contact twice (one row
  // by email, another by phone), so only then does the insert pay for ON CONFLICT.
  {
    text: `INSERT INTO import_contacts (import_id, contact_id, line, inserted)
           SELECT $1::uuid, new_id, line, true FROM import_stage WHERE outcome IS NULL`,
    params: (p) => [p.importId],
    when: (batch) => batch.matched === 0,
  },
  {
    text: `INSERT INTO import_contacts (import_id, contact_id, line, inserted)
           SELECT $1::uuid, ${CONTACT}, line, outcome IS NULL FROM import_stage WHERE ${KEPT}
           ON CONFLICT DO NOTHING`,
    params: (p) => [p.importId],
    when: (batch) => batch.matched > 0,
  },
  // The list is re-checked against the workspace here: a list deleted mid-import gets no members.
  {
    text: `INSERT INTO list_members (list_id, contact_id, workspace_id)
           SELECT l.id, ${CONTACT}, l.workspace_id FROM import_stage s
           JOIN lists l ON l.id = $2::uuid AND l.workspace_id = $1::uuid
           WHERE ${KEPT}
           ON CONFLICT DO NOTHING`,
    params: (p) => [p.workspaceId, p.listId],
    when: (_batch, merge) => merge.listId !== null,
  },
  // Tags as lists (when the upload asked): lists are matched by exact name in the workspace, and
  // created when there is none.
  {
    text: `INSERT INTO lists (workspace_id, name)
           SELECT DISTINCT $1::uuid, t.name FROM import_stage s CROSS JOIN LATERAL unnest(string_to_array(s.lists, chr(31))) t(name)
           WHERE s.lists IS NOT NULL AND ${KEPT}
           ON CONFLICT (workspace_id, name) DO NOTHING`,
    params: (p) => [p.workspaceId],
    when: (batch) => batch.withLists,
  },
  {
    text: `INSERT INTO list_members (list_id, contact_id, workspace_id)
           SELECT l.id, ${CONTACT}, l.workspace_id FROM import_stage s CROSS JOIN LATERAL unnest(string_to_array(s.lists, chr(31))) t(name)
           JOIN lists l ON l.workspace_id = $1::uuid AND l.name = t.name
           WHERE s.lists IS NOT NULL AND ${KEPT}
           ON CONFLICT DO NOTHING`,
    params: (p) => [p.workspaceId],
    when: (batch) => batch.withLists,
  },
  {
    text: `INSERT INTO import_errors (import_id, workspace_id, line, "column", reason, value)
           SELECT $1::uuid, $2::uuid, line, reason_column, reason, left(reason_value, 200) FROM import_stage
           WHERE outcome IN ('failed', 'duplicate') ORDER BY ord`,
    params: (p) => [p.importId, p.workspaceId],
    when: (batch) => batch.matched > 0 || batch.raced,
  },
  {
    text: `INSERT INTO import_errors (import_id, workspace_id, line, "column", reason, value)
           SELECT $1::uuid, $2::uuid, line, 'phone', warning, warning_value FROM import_stage
           WHERE warning IS NOT NULL AND ${KEPT} ORDER BY ord`,
    params: (p) => [p.importId, p.workspaceId],
    when: (batch) => batch.matched > 0,
  },
];

/**
 * Claims a chunk: the import must still be running with its cursor at the chunk's first record,
 * so a retried or duplicated step finds nothing to claim. $1 import, $2 workspace, $3 first
 * record index.
 */
const CLAIM_CHUNK = `
  UPDATE imports SET updated_at = now()
  WHERE id = $1::uuid AND workspace_id = $2::uuid AND status = 'running' AND (cursor->>'recordIndex')::int = $3::int
  RETURNING mode, list_id`;

/** What became of a batch's staged rows. */
const COUNT_OUTCOMES = `
  SELECT count(*) FILTER (WHERE outcome IS NULL)::int AS inserted,
         count(*) FILTER (WHERE outcome = 'update')::int AS updated,
         count(*) FILTER (WHERE outcome IN ('existing', 'duplicate'))::int AS skipped,
         count(*) FILTER (WHERE outcome = 'failed')::int AS failed
  FROM import_stage`;

/** Report lines for rows the database refused, naming the error code only. $1 import, $2 workspace, $3 [{line, code}]. */
const RECORD_REFUSED_ROWS = `
  INSERT INTO import_errors (import_id, workspace_id, line, "column", reason, value)
  SELECT $1::uuid, $2::uuid, r.line, NULL, 'a value in this row could not be stored (database error ' || r.code || '); row not imported', NULL
  FROM jsonb_to_recordset($3::jsonb) AS r(line int, code text) ORDER BY r.line`;

/** Report lines for rows refused while reading and for row warnings. $1 import, $2 workspace, $3 problems. */
const RECORD_ROW_PROBLEMS = `
  INSERT INTO import_errors (import_id, workspace_id, line, "column", reason, value)
  SELECT $1::uuid, $2::uuid, e.line, e."column", e.reason, e.value
  FROM jsonb_to_recordset($3::jsonb) AS e(line int, "column" text, reason text, value text)`;

/**
 * Adds a chunk's counts to the import and moves its cursor past the chunk, in the chunk's own
 * transaction. $1 import, $2 workspace, $3 records, $4 inserted, $5 updated, $6 skipped,
 * $7 failed, $8 next cursor.
 */
const ADVANCE_IMPORT = `
  UPDATE imports SET
    processed = processed + $3::int, inserted = inserted + $4::int, updated = updated + $5::int,
    skipped = skipped + $6::int, failed = failed + $7::int, cursor = $8::jsonb, updated_at = now()
  WHERE id = $1::uuid AND workspace_id = $2::uuid
  RETURNING processed, inserted, updated, skipped, failed`;

/** Inserts the batch's new contacts; true when another write had created some of them meanwhile. */
async function insertNewContacts(tx: ChunkSql, merge: MergeParams): Promise<boolean> {
  try {
    await tx.savepoint((sp) => sp.query(INSERT_NEW, [merge.workspaceId]));
    return false;
  } catch (error) {
    if (uniqueViolation(error) === undefined) throw error;
    await tx.query(INSERT_NEW_UNLESS_TAKEN, [merge.workspaceId]);
    await tx.query(RACED_ROWS);
    return true;
  }
}

export interface MergeParams {
  workspaceId: string;
  importId: string;
  mode: "create-only" | "upsert" | "skip-existing";
  listId: string | null;
}

/** What reading a chunk found besides its valid rows; known once its batches have ended. */
export interface ChunkReadSummary {
  /** The cursor just past the chunk's last record. */
  next: ImportCursor;
  /** Records read (valid or not). */
  records: number;
  /** Rejected in validation (count of rows) and skipped as in-chunk duplicates. */
  failedRows: number;
  skippedRows: number;
  /** Their report lines, plus row warnings. */
  problems: ImportRowProblem[];
}

type OutcomeCounts = Omit<ChunkCounters, "processed">;

/** Stages one batch, merges it, and empties the stage again, counting what became of its rows. */
async function mergeStaged(tx: ChunkSql, merge: MergeParams, rows: ValidContactRow[]): Promise<OutcomeCounts> {
  await tx.load(
    "import_stage",
    STAGE_COLUMNS,
    rows.map((row, ord) => [
      ord, row.line, ...CONTACT_TEXT_FIELD_KEYS.map((key) => row[key]),
      row.birthday, row.birthdayMonth, row.birthdayDay, row.attributes, row.lists.length > 0 ? row.lists.join(LIST_SEPARATOR) : null,
    ]),
  );
  const [{ matched }] = (await tx.query<{ matched: number }>(MATCH_EXISTING, [merge.workspaceId])) as [{ matched: number }];
  if (matched > 0) for (const statement of CLASSIFY_MATCHED) await tx.query(statement.text, statement.params(merge));
  const raced = await insertNewContacts(tx, merge);
  const batch: BatchFacts = { matched, raced, withLists: rows.some((row) => row.lists.length > 0) };
  for (const statement of WRITE_STATEMENTS) {
    if (statement.when && !statement.when(batch, merge)) continue;
    await tx.query(statement.text, statement.params(merge));
  }
  const [counts] = await tx.query<OutcomeCounts>(COUNT_OUTCOMES);
  // Emptied for the next batch without deleting row by row; the table is this transaction's own.
  await tx.query("TRUNCATE import_stage");
  return counts!;
}

/**
 * SQLSTATEs a row's own values can raise: data exceptions (class 22 — text the encoding cannot
 * hold, JSON jsonb refuses, a date out of range), NOT NULL and CHECK violations, and 54000 (an
 * index entry too large). Anything else — a lost connection, a deadlock, a mistake in a
 * statement — is no row's fault and fails the chunk, which is retried.
 */
function isRowValueError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("22") || code === "23502" || code === "23514" || code === "54000");
}

/** Rows refused one at a time before a batch gives up and fails the chunk: past this, the cause is not in the rows. */
export const MERGE_MAX_REFUSED_ROWS_PER_BATCH = 100;


async function mergeIsolating(tx: ChunkSql, merge: MergeParams, rows: ValidContactRow[], refused: RefusedRow[]): Promise<OutcomeCounts> {
  try {
    return await tx.savepoint((sp) => mergeStaged(sp, merge, rows));
  } catch (error) {
    if (!isRowValueError(error)) throw error;
    if (rows.length === 1) {
      if (refused.length >= MERGE_MAX_REFUSED_ROWS_PER_BATCH) throw error;
      refused.push({ line: rows[0]!.line, code: error.code, message: error.message });
      return { inserted: 0, updated: 0, skipped: 0, failed: 1 };
    }
    const half = Math.ceil(rows.length / 2);
    const first = await mergeIsolating(tx, merge, rows.slice(0, half), refused);
    const second = await mergeIsolating(tx, merge, rows.slice(half), refused);
    return { inserted: first.inserted + second.inserted, updated: first.updated + second.updated, skipped: first.skipped + second.skipped, failed: first.failed + second.failed };
  }
}

/**
 * Merges one batch in a savepoint. Should the database refuse a value (see isRowValueError),
 * the batch is merged again in halves, and so on down to the rows at fault, which are reported
 * as failed: one bad value costs its row, never the chunk — whatever the hazard, including ones
 * the checks before staging do not know. One refused row in a batch of n costs about
 * 2·log2(n) extra merges; the happy path costs a savepoint. The rows at fault are appended to
 * `refused`.
 */
async function mergeBatch(tx: ChunkSql, merge: MergeParams, rows: ValidContactRow[], refused: RefusedRow[]): Promise<OutcomeCounts> {
  const before = refused.length;
  const counts = await mergeIsolating(tx, merge, rows, refused);
  if (refused.length > before) {
    await tx.query(
      RECORD_REFUSED_ROWS,
      [merge.importId, merge.workspaceId, JSON.stringify(refused.slice(before).map(({ line, code }) => ({ line, code })))],
    );
  }
  return counts;
}

/**
 * Writes one chunk of an import in ONE transaction: claims the chunk (the stored cursor must
 * still be at `fromRecordIndex` and the import running — so a retried or duplicated step
 * finds nothing to do), then for each batch of valid rows COPYs it into a temp staging table,
 * resolves each row against the workspace's contacts and this import's earlier rows, and
 * inserts/updates set-based and adds list members (a value the database refuses costs its row,
 * see mergeBatch); finally records row problems and advances counters and cursor together. A
 * crash at any point rolls all of it back; the next attempt resumes from the last committed
 * chunk.
 *
 * `batches` is read while the previous batch is being merged: the database works on one batch
 * while this process parses and validates the next, so the two halves of the work overlap
 * instead of taking turns (on a server; in-process PGlite shares the thread). It is not read
 * at all when the claim fails.
 */
export async function mergeImportChunk(
  database: Database,
  params: {
    workspaceId: string;
    importId: string;
    fromRecordIndex: number;
    /** The chunk's valid rows, a batch at a time. */
    batches: AsyncIterable<ValidContactRow[]>;
    /** Called once `batches` has ended. */
    summary: () => ChunkReadSummary;
  },
): Promise<ChunkMergeResult> {
  return inChunkTransaction(database, async (tx) => {
    const [claimed] = await tx.query<{ mode: MergeParams["mode"]; list_id: string | null }>(
      CLAIM_CHUNK,
      [params.importId, params.workspaceId, params.fromRecordIndex],
    );
    if (!claimed) return { merged: false } as const;
    const merge: MergeParams = { workspaceId: params.workspaceId, importId: params.importId, mode: claimed.mode, listId: claimed.list_id };

    await tx.query(CREATE_STAGE);
    const counts: OutcomeCounts = { inserted: 0, updated: 0, skipped: 0, failed: 0 };
    const refused: RefusedRow[] = [];
    let merging: Promise<void> | null = null;
    try {
      for await (const batch of params.batches) {
        await merging;
        if (batch.length === 0) continue;
        merging = mergeBatch(tx, merge, batch, refused).then((batchCounts) => {
          for (const key of Object.keys(counts) as (keyof OutcomeCounts)[]) counts[key] += batchCounts[key];
        });
        // A rejection is awaited above or below; until then it must not count as unhandled.
        merging.catch(() => {});
      }
    } finally {
      // Never leave a statement running on the transaction when reading fails part-way.
      await merging?.catch(() => {});
    }
    await merging;
    const read = params.summary();

    if (read.problems.length > 0) {
      await tx.query(
        RECORD_ROW_PROBLEMS,
        [params.importId, params.workspaceId, storableJson(read.problems)],
      );
    }

    const [totals] = await tx.query<ChunkCounters>(
      ADVANCE_IMPORT,
      [
        params.importId,
        params.workspaceId,
        read.records,
        counts.inserted,
        counts.updated,
        counts.skipped + read.skippedRows,
        counts.failed + read.failedRows,
        JSON.stringify(read.next),
      ],
    );
    return { merged: true, totals: totals!, cursor: read.next, refused } as const;
  });
}
