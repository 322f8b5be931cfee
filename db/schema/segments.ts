import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { SegmentFilter } from "@/core/segments/segment-filter";
import { workspaces } from "./workspaces";

/** A saved filter; membership is computed when asked, never stored. Millisecond timestamps: see lists.ts. */
export const segments = pgTable(
  "segments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Validated by core/segments/segment-filter.ts on the way in and again when compiled. */
    filter: jsonb("filter").$type<SegmentFilter>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("segments_workspace_name_key").on(t.workspaceId, t.name),
    index("segments_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
  ],
);
