import { NextResponse } from "next/server";
import { z } from "zod";
import { getDatabase } from "@/db";
import { notFound } from "@/lib/api/responses";
import { sealBundle } from "@/lib/seals/seal-bundle";

/**
 * A seal for anyone, without a key: the signed body (a campaign's counters and ids, never a
 * contact), its public key, the link to the previous seal and, once the day's root exists, the
 * Merkle proof. `npm run verify-seal -- <this url>` checks it offline.
 */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  if (!z.uuid().safeParse(id).success) return notFound("Seal");
  const bundle = await sealBundle((await getDatabase()).db, { sealId: id });
  if (!bundle) return notFound("Seal");
  return NextResponse.json(bundle, { headers: { "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" } });
}
