import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { notificationCategories } from "@/db/schema";
import type { NotificationCategory } from "./notification-categories";

export type CategoryDelivery = Pick<NotificationCategory, "digestWindowSeconds" | "capLimit" | "capPeriodSeconds">;

/** Sets a category's digest window and frequency cap (the columns delivery rules own); undefined when no such category. */
export async function updateCategoryDelivery(
  db: Db,
  params: { workspaceId: string; key: string } & CategoryDelivery,
): Promise<NotificationCategory | undefined> {
  const [row] = await db
    .update(notificationCategories)
    .set({ digestWindowSeconds: params.digestWindowSeconds, capLimit: params.capLimit, capPeriodSeconds: params.capPeriodSeconds, updatedAt: sql`now()` })
    .where(and(eq(notificationCategories.workspaceId, params.workspaceId), eq(notificationCategories.key, params.key)))
    .returning();
  return row;
}
