import { foreignKey, index, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { contacts } from "./contacts";
import { workspaces } from "./workspaces";

/**
 * Static lists: membership changes only through the API or an import, never by a rule.
 * Timestamps are kept to milliseconds because keyset cursors carry a JS Date: a microsecond
 * remainder would make rows in the same millisecond fall between pages.
 */
export const lists = pgTable(
  "lists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("lists_workspace_name_key").on(t.workspaceId, t.name),
    index("lists_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    // Target of list_members' (workspace_id, list_id) key, so a member row cannot name another workspace's list.
    unique("lists_workspace_id_key").on(t.workspaceId, t.id),
  ],
);

export const listMembers = pgTable(
  "list_members",
  {
    listId: uuid("list_id").notNull(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "list_members_pkey", columns: [t.listId, t.contactId] }),
    foreignKey({ name: "list_members_list_fkey", columns: [t.workspaceId, t.listId], foreignColumns: [lists.workspaceId, lists.id] }).onDelete(
      "cascade",
    ),
    // Member pages are newest first; segment filters probe (list_id, contact_id) through the primary key.
    index("list_members_list_created_idx").on(t.listId, t.createdAt, t.contactId),
    index("list_members_contact_idx").on(t.contactId),
  ],
);
