import { sql } from "drizzle-orm";
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** Default sender for email when a request names none. */
  emailFrom: text("email_from"),
  /** ISO 3166 region used to read national phone numbers, e.g. "US". */
  defaultRegion: text("default_region").notNull().default("US"),
  /** Set when the workspace's erasure was requested: its API keys stop working until a restore. */
  erasureRequestedAt: timestamp("erasure_requested_at", { withTimezone: true, precision: 3 }),
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/**
 * Only a SHA-256 hash of the key is stored: the key itself is shown once at creation.
 * The prefix lets people tell their keys apart without exposing them.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, precision: 3 }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [uniqueIndex("api_keys_key_hash_key").on(t.keyHash), index("api_keys_workspace_idx").on(t.workspaceId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    /** "api_key:<id>", "system", "function:<id>" */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /**
     * The hash chain (issue 16): each entry's hash covers its content and the previous entry's
     * hash in the same workspace (the global chain for null), so an edited or removed entry breaks
     * every hash after it. Null only on entries written before the chain existed.
     */
    prevHash: text("prev_hash"),
    hash: text("hash"),
    /** sha256 of the details (JCS): what the hash covers, so redacted details keep the chain whole. */
    detailsDigest: text("details_digest"),
  },
  (t) => [
    index("audit_log_workspace_created_idx").on(t.workspaceId, t.createdAt),
    // The chain's order: a writer reads its chain's head, verification walks it in id batches.
    index("audit_log_workspace_id_idx").on(t.workspaceId, t.id),
  ],
);
