"use client";

import { useEffect, useState } from "react";
import { type SealBundle, type SealCheck, sealVerified, verifySealBundle } from "@/core/seals/verify-seal";

const CHECK_LABELS: Record<SealCheck["check"], string> = {
  format: "Format",
  hash: "Canonical hash (SHA-256 of RFC 8785 JSON)",
  key: "Signing key",
  signature: "Ed25519 signature",
  chain: "Chain link",
  merkle: "Daily Merkle root",
};

type Outcome = { state: "checking" } | { state: "done"; checks: SealCheck[] } | { state: "error"; message: string };

/** The key ids this site publishes; null when the list cannot be read (then the bundle's key is checked alone). */
async function publishedKeyIds(): Promise<string[] | null> {
  try {
    const response = await fetch("/.well-known/sendline-seal-key", { cache: "no-store" });
    if (!response.ok) return null;
    const { keys } = (await response.json()) as { keys: { kid: string }[] };
    return keys.map((key) => key.kid);
  } catch {
    return null;
  }
}

/** Verifies the seal in this browser (WebCrypto SHA-256 and Ed25519) and says what passed and what failed. */
export function SealVerifier({ bundle }: { bundle: SealBundle }) {
  const [outcome, setOutcome] = useState<Outcome>({ state: "checking" });
  useEffect(() => {
    let live = true;
    (async () => {
      const trustedKeyIds = (await publishedKeyIds()) ?? undefined;
      const checks = await verifySealBundle(bundle, { trustedKeyIds });
      if (live) setOutcome({ state: "done", checks });
    })().catch((error: unknown) => {
      if (live) setOutcome({ state: "error", message: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      live = false;
    };
  }, [bundle]);

  const { body } = bundle.seal;
  const verified = outcome.state === "done" && sealVerified(outcome.checks);
  return (
    <>
      <div className={`alert seal-result ${outcome.state === "checking" ? "" : verified ? "seal-verified" : "seal-failed"}`} role="status">
        {outcome.state === "checking" ? (
          <strong>Verifying in your browser…</strong>
        ) : outcome.state === "error" ? (
          <strong>Verification failed: this browser cannot check Ed25519 signatures ({outcome.message}).</strong>
        ) : verified ? (
          <strong>Verified: these numbers are exactly what was sealed and signed.</strong>
        ) : (
          <strong>Verification failed: {outcome.checks.filter((check) => check.ok === false).map((check) => CHECK_LABELS[check.check]).join(", ")}.</strong>
        )}
      </div>
      {outcome.state === "done" ? (
        <table className="data" aria-label="Checks">
          <tbody>
            {outcome.checks.map((check, index) => (
              <tr key={index}>
                <th scope="row">{CHECK_LABELS[check.check]}</th>
                <td>{check.ok === null ? "not checked" : check.ok ? "passed" : "FAILED"}</td>
                <td className="mono">{check.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <section>
        <h2>Sealed numbers</h2>
        <table className="data" aria-label="Sealed numbers">
          <tbody>
            {[...Object.entries(body.progress).map(([name, value]) => [name === "audience" ? name : `recipients ${name}`, value] as const), ...Object.entries(body.metrics)].map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td className="num">{Number(value).toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          Sealed <span className="mono">{body.sealedAt}</span>; campaign ran <span className="mono">{body.window.startedAt ?? "—"}</span> to{" "}
          <span className="mono">{body.window.finishedAt ?? "—"}</span>. Hash <span className="mono">{bundle.seal.hash}</span>, previous{" "}
          <span className="mono">{body.prevHash ?? "none"}</span>, key <span className="mono">{body.keyId}</span>.
        </p>
      </section>
    </>
  );
}
