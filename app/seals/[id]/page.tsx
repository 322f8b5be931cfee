import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDatabase } from "@/db";
import { sealBundle } from "@/lib/seals/seal-bundle";
import { SealVerifier } from "./seal-verifier";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sealed campaign metrics" };

/**
 * A seal for anyone, outside the dashboard's login. The server only hands over the stored seal;
 * the checks run in the reader's browser (WebCrypto), so a tampered row shows as failed here
 * exactly as it does in `verify-seal`.
 */
export default async function SealPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const bundle = await sealBundle((await getDatabase()).db, { sealId: id });
  if (!bundle) notFound();
  return (
    <main className="content seal-page">
      <h1>Sealed campaign metrics</h1>
      <p className="muted">
        Seal {bundle.seal.body.sequence} of workspace <span className="mono">{bundle.seal.body.workspaceId}</span>, campaign{" "}
        <span className="mono">{bundle.seal.body.campaignId}</span> ({bundle.seal.body.kind}).
      </p>
      <SealVerifier bundle={bundle} />
      <section>
        <h2>Check it yourself</h2>
        <p>
          The seal as JSON: <a href={`/api/public/seals/${bundle.id}`}>/api/public/seals/{bundle.id}</a>; the public keys:{" "}
          <a href="/.well-known/sendline-seal-key">/.well-known/sendline-seal-key</a>. Offline: <code>npm run verify-seal -- &lt;this seal&apos;s JSON URL or file&gt;</code>.
        </p>
      </section>
    </main>
  );
}
