import { and, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { aiRecommendations, aiTokenUsage } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import type { RecommendationKind, RecommendationSource } from "@/core/ai/recommendation-kinds";
import { before } from "./keyset";

export type AiRecommendation = typeof aiRecommendations.$inferSelect;
export type NewAiRecommendation = Pick<typeof aiRecommendations.$inferInsert, "workspaceId" | "kind" | "targetType" | "targetId" | "inputHash" | "basis">;

export async function insertRecommendation(db: Db, values: NewAiRecommendation): Promise<AiRecommendation> {
  const [row] = await db.insert(aiRecommendations).values(values).returning();
  return row!;
}

export async function getRecommendation(db: Db, params: { workspaceId: string; recommendationId: string }): Promise<AiRecommendation | undefined> {
  const [row] = await db
    .select()
    .from(aiRecommendations)
    .where(and(eq(aiRecommendations.workspaceId, params.workspaceId), eq(aiRecommendations.id, params.recommendationId)));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id); optionally one target's, or only some kinds. */
export async function listRecommendations(
  db: Db,
  params: { workspaceId: string; limit: number; after?: Position; targetId?: string; kind?: RecommendationKind; kinds?: readonly RecommendationKind[] },
): Promise<AiRecommendation[]> {
  return db
    .select()
    .from(aiRecommendations)
    .where(
      and(
        eq(aiRecommendations.workspaceId, params.workspaceId),
        params.targetId ? eq(aiRecommendations.targetId, params.targetId) : undefined,
        params.kind ? eq(aiRecommendations.kind, params.kind) : undefined,
        params.kinds ? inArray(aiRecommendations.kind, [...params.kinds]) : undefined,
        before(aiRecommendations.createdAt, aiRecommendations.id, params.after),
      ),
    )
    .orderBy(desc(aiRecommendations.createdAt), desc(aiRecommendations.id))
    .limit(params.limit);
}

/** The newest reusable answer for the same kind and input hash: the cache. */
export async function findCachedRecommendation(db: Db, params: { workspaceId: string; kind: RecommendationKind; inputHash: string }): Promise<AiRecommendation | undefined> {
  const [row] = await db
    .select()
    .from(aiRecommendations)
    .where(
      and(
        eq(aiRecommendations.workspaceId, params.workspaceId),
        eq(aiRecommendations.kind, params.kind),
        eq(aiRecommendations.inputHash, params.inputHash),
        eq(aiRecommendations.status, "answered"),
        eq(aiRecommendations.cacheable, true),
      ),
    )
    .orderBy(desc(aiRecommendations.answeredAt))
    .limit(1);
  return row;
}

/**
 * Questions of a kind put to the answering stage since `since` (cache hits store no row): what a
 * per-workspace rate of model calls is counted against when the asking is synchronous.
 */
export async function countRecommendationsSince(db: Db, params: { workspaceId: string; kind: RecommendationKind; since: Date }): Promise<number> {
  return db.$count(
    aiRecommendations,
    and(eq(aiRecommendations.workspaceId, params.workspaceId), eq(aiRecommendations.kind, params.kind), gt(aiRecommendations.createdAt, params.since), isNull(aiRecommendations.cachedFrom)),
  );
}

export type RecommendationOutcome = {
  source: RecommendationSource;
  model: string | null;
  answer: Record<string, unknown>;
  note: string | null;
  cacheable: boolean;
  cachedFrom: string | null;
  promptTokens: number;
  completionTokens: number;
};

/**
 * Records the answer of a pending recommendation and adds the tokens it spent to the
 * workspace's day, in one transaction: the conditional UPDATE makes a repeated step (a retry
 * after a crash) change nothing and count no token twice. Undefined when it was answered already.
 */
export async function answerRecommendation(
  db: Db,
  params: { workspaceId: string; recommendationId: string; outcome: RecommendationOutcome; day: string },
): Promise<AiRecommendation | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(aiRecommendations)
      .set({ ...params.outcome, status: "answered", answeredAt: new Date() })
      .where(and(eq(aiRecommendations.workspaceId, params.workspaceId), eq(aiRecommendations.id, params.recommendationId), eq(aiRecommendations.status, "pending")))
      .returning();
    const tokens = params.outcome.promptTokens + params.outcome.completionTokens;
    if (row && (tokens > 0 || params.outcome.source === "openai")) {
      await tx
        .insert(aiTokenUsage)
        .values({ workspaceId: params.workspaceId, day: params.day, tokens, requests: 1 })
        .onConflictDoUpdate({
          target: [aiTokenUsage.workspaceId, aiTokenUsage.day],
          set: { tokens: sql`${aiTokenUsage.tokens} + ${tokens}`, requests: sql`${aiTokenUsage.requests} + 1` },
        });
    }
    return row;
  });
}

/** Tokens the workspace spent on the given UTC day (0 before its first call). */
export async function tokensUsedOn(db: Db, params: { workspaceId: string; day: string }): Promise<number> {
  const [row] = await db
    .select({ tokens: aiTokenUsage.tokens })
    .from(aiTokenUsage)
    .where(and(eq(aiTokenUsage.workspaceId, params.workspaceId), eq(aiTokenUsage.day, params.day)));
  return row?.tokens ?? 0;
}
