import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { creditLedger } from "@/db/schema";
import { rowsOf } from "./rows-of";

export type CreditEntry = typeof creditLedger.$inferSelect;

export async function creditBalance(db: Db, params: { workspaceId: string }): Promise<number> {
  const [row] = await db
    .select({ balance: sql<number>`coalesce(sum(${creditLedger.amount}), 0)::int` })
    .from(creditLedger)
    .where(eq(creditLedger.workspaceId, params.workspaceId));
  return Number(row?.balance ?? 0);
}

export async function grantCredits(db: Db, params: { workspaceId: string; amount: number; note: string }): Promise<void> {
  await db.insert(creditLedger).values({ workspaceId: params.workspaceId, kind: "grant", amount: params.amount, note: params.note });
}

export type Reservation = { ok: true; reserved: number } | { ok: false; balance: number };

/**
 * Reserves `amount` credits for a campaign if the balance covers them, atomically: the
 * workspace's ledger is locked for the check-and-insert (two campaigns cannot both spend the
 * last credits), and the unique (campaign, kind) index makes a repeat return the first
 * reservation instead of taking credits twice.
 */
export async function reserveCredits(
  db: Db,
  params: { workspaceId: string; campaignId: string; amount: number; expiresAt: Date },
): Promise<Reservation> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`credits:${params.workspaceId}`}))`);
    const [existing] = await tx
      .select()
      .from(creditLedger)
      .where(and(eq(creditLedger.campaignId, params.campaignId), eq(creditLedger.kind, "reserve")));
    if (existing) return { ok: true, reserved: -existing.amount };
    const balance = await creditBalance(tx, params);
    if (balance < params.amount) return { ok: false, balance };
    await tx.insert(creditLedger).values({
      workspaceId: params.workspaceId,
      kind: "reserve",
      amount: -params.amount,
      campaignId: params.campaignId,
      expiresAt: params.expiresAt,
    });
    return { ok: true, reserved: params.amount };
  });
}

/**
 * Gives back what a campaign reserved but did not use: the reservation minus its sent messages.
 * Once per campaign (the unique index); returns the amount released, 0 if already released or
 * nothing was reserved.
 */
export async function releaseCredits(db: Db, params: { workspaceId: string; campaignId: string; used: number; note: string }): Promise<number> {
  const result = await db.execute<{ amount: number }>(sql`
    insert into ${creditLedger} (workspace_id, kind, amount, campaign_id, note)
    select workspace_id, 'release', greatest(-amount - ${params.used}, 0), campaign_id, ${params.note}
    from ${creditLedger}
    where campaign_id = ${params.campaignId}::uuid and kind = 'reserve' and workspace_id = ${params.workspaceId}::uuid
    on conflict do nothing
    returning amount`);
  return Number(rowsOf<{ amount: number }>(result)[0]?.amount ?? 0);
}

/** Campaign ids holding a reservation with no release yet, whose reservation expired or whose campaign ended. */
export async function listReleasableReservations(db: Db, params: { limit: number }): Promise<{ workspaceId: string; campaignId: string }[]> {
  const result = await db.execute<{ workspace_id: string; campaign_id: string }>(sql`
    select r.workspace_id, r.campaign_id from ${creditLedger} r
    join campaigns c on c.id = r.campaign_id
    where r.kind = 'reserve'
      and not exists (select 1 from ${creditLedger} x where x.campaign_id = r.campaign_id and x.kind = 'release')
      and (c.status in ('sent', 'cancelled', 'failed', 'draft') or r.expires_at < now())
    limit ${params.limit}`);
  return rowsOf<{ workspace_id: string; campaign_id: string }>(result).map((row) => ({ workspaceId: row.workspace_id, campaignId: row.campaign_id }));
}
