import { boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { RECOMMENDATION_KINDS, RECOMMENDATION_SOURCES, RECOMMENDATION_TARGETS, type RecommendationBasis } from "@/core/ai/recommendation-kinds";
import { workspaces } from "./workspaces";

export const recommendationKind = pgEnum("recommendation_kind", RECOMMENDATION_KINDS);
export const recommendationTarget = pgEnum("recommendation_target", RECOMMENDATION_TARGETS);
export const recommendationSource = pgEnum("recommendation_source", RECOMMENDATION_SOURCES);
export const recommendationStatus = pgEnum("recommendation_status", ["pending", "answered"]);

/**
 * One asked-for recommendation: the data it is based on (stored when asked, so the answer is
 * shown with exactly what it was derived from), then the answer, its source and why. The input
 * hash (kind, basis and the engine asked) is the cache key: an answer marked `cacheable` is
 * reused for the same hash instead of asking the model again. Fallback answers are not
 * cacheable, so a model that failed once is asked again next time.
 */
export const aiRecommendations = pgTable(
  "ai_recommendations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: recommendationKind("kind").notNull(),
    targetType: recommendationTarget("target_type").notNull(),
    /** No foreign key: the recommendation stays readable after its campaign or template is deleted. */
    targetId: uuid("target_id").notNull(),
    inputHash: text("input_hash").notNull(),
    basis: jsonb("basis").$type<RecommendationBasis>().notNull(),
    status: recommendationStatus("status").notNull().default("pending"),
    source: recommendationSource("source"),
    model: text("model"),
    answer: jsonb("answer").$type<Record<string, unknown>>(),
    /** Why the answer is not the model's (no key, over budget, refused, malformed, failing), or that it was reused. */
    note: text("note"),
    cacheable: boolean("cacheable").notNull().default(false),
    /** Reused from this recommendation's answer (a cache hit): no model call was made. */
    cachedFrom: uuid("cached_from"),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    answeredAt: timestamp("answered_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index("ai_recommendations_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("ai_recommendations_cache_idx").on(t.workspaceId, t.kind, t.inputHash),
  ],
);

/** Tokens a workspace spent on recommendations per UTC day, as the API's `usage` reported them. */
export const aiTokenUsage = pgTable(
  "ai_token_usage",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    tokens: integer("tokens").notNull().default(0),
    requests: integer("requests").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day] })],
);
