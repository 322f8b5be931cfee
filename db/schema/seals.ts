import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { SEAL_KINDS, type SealBody, type SealPublicKey, type SealRootBody } from "@/core/seals/seal-format";
import { workspaces } from "./workspaces";

export const sealKind = pgEnum("seal_kind", SEAL_KINDS);

/**
 * Every public key that ever signed a seal or a root, recorded on first use: after a rotation
 * (a new SEAL_SIGNING_KEY) old seals still name a key the well-known URL lists.
 */
export const sealKeys = pgTable("seal_keys", {
  keyId: text("key_id").primaryKey(),
  publicKey: jsonb("public_key").$type<SealPublicKey>().notNull(),
  firstUsedAt: timestamp("first_used_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** One day's Merkle tree head over seal hashes (RFC 6962), signed; a late straggler gets a root of its own for the same day. */
export const sealRoots = pgTable(
  "seal_roots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    day: text("day").notNull(),
    body: jsonb("body").$type<SealRootBody>().notNull(),
    hash: text("hash").notNull(),
    signature: text("signature").notNull(),
    keyId: text("key_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("seal_roots_day_idx").on(t.day)],
);

/**
 * A campaign's metrics, sealed: the signed body exactly as hashed (jsonb keeps values, and RFC
 * 8785 puts the keys back in order), chained per workspace. No foreign key to campaigns: a seal
 * is a record of what was published and outlives the campaign row; the workspace's erasure
 * removes it. The Merkle position and proof are written once, when the day's root is built, so
 * deleting another seal never changes what this one proves.
 */
export const metricSeals = pgTable(
  "metric_seals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").notNull(),
    sequence: integer("sequence").notNull(),
    kind: sealKind("kind").notNull(),
    body: jsonb("body").$type<SealBody>().notNull(),
    hash: text("hash").notNull(),
    signature: text("signature").notNull(),
    keyId: text("key_id").notNull(),
    sealedAt: timestamp("sealed_at", { withTimezone: true, precision: 3 }).notNull(),
    rootId: uuid("root_id").references(() => sealRoots.id),
    leafIndex: integer("leaf_index"),
    proof: jsonb("proof").$type<string[]>(),
  },
  (t) => [
    // The chain never forks: one seal per number per workspace, whoever seals.
    uniqueIndex("metric_seals_workspace_sequence_idx").on(t.workspaceId, t.sequence),
    // The finished and settled seals are made once per campaign, however often a step re-runs.
    uniqueIndex("metric_seals_campaign_kind_idx").on(t.workspaceId, t.campaignId, t.kind).where(sql`${t.kind} <> 'manual'`),
    index("metric_seals_campaign_idx").on(t.workspaceId, t.campaignId, t.sequence),
    index("metric_seals_unrooted_idx").on(t.sealedAt).where(sql`${t.rootId} is null`),
  ],
);
