import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { deliverySettings } from "@/db/schema";

export type DeliverySettings = typeof deliverySettings.$inferSelect;

/** A workspace that never set anything has no quiet hours and UTC as its default zone. */
export async function getDeliverySettings(db: Db, params: { workspaceId: string }): Promise<DeliverySettings> {
  const [row] = await db.select().from(deliverySettings).where(eq(deliverySettings.workspaceId, params.workspaceId));
  return row ?? { workspaceId: params.workspaceId, quietHoursStart: null, quietHoursEnd: null, timezone: "UTC", updatedAt: new Date(0) };
}

export async function saveDeliverySettings(
  db: Db,
  params: { workspaceId: string; quietHoursStart: string | null; quietHoursEnd: string | null; timezone: string },
): Promise<DeliverySettings> {
  const [row] = await db
    .insert(deliverySettings)
    .values(params)
    .onConflictDoUpdate({
      target: deliverySettings.workspaceId,
      set: { quietHoursStart: params.quietHoursStart, quietHoursEnd: params.quietHoursEnd, timezone: params.timezone, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}
