import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { sealRoots } from "@/db/schema";

export type SealRoot = typeof sealRoots.$inferSelect;

export async function insertSealRoot(db: Db, values: Omit<typeof sealRoots.$inferInsert, "id" | "createdAt">): Promise<SealRoot> {
  const [root] = await db.insert(sealRoots).values(values).returning();
  return root!;
}

export async function getSealRoot(db: Db, params: { rootId: string }): Promise<SealRoot | undefined> {
  const [root] = await db.select().from(sealRoots).where(eq(sealRoots.id, params.rootId));
  return root;
}
