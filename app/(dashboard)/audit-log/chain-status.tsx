import type { ChainVerification } from "@/lib/audit/verify-audit-chain";

const REASONS = {
  hash: "its content no longer matches its hash: the entry was edited",
  link: "it does not link to the entry before it: an earlier entry was removed, reordered or edited",
  unchained: "it has no hash: it was written around the app",
} as const;

/** The workspace chain's verification, as `GET /api/v1/audit-log/verify` reports it. */
export function ChainStatus({ verification }: { verification: ChainVerification }) {
  return (
    <section aria-label="Chain verification" className={verification.ok ? "notice" : "notice error-text"}>
      {verification.ok ? (
        <p>
          <strong>Chain verified:</strong> {verification.checked.toLocaleString("en-US")} entr{verification.checked === 1 ? "y" : "ies"}, every hash and link matches
          {verification.unchained > 0 ? ` (${verification.unchained} older entries predate the chain)` : ""}
          {verification.redacted > 0 ? `; ${verification.redacted} had details quoting an erased person redacted, and verify through their recorded digest` : ""}.
        </p>
      ) : (
        <p>
          <strong>Chain broken</strong> at entry #{verification.brokenAt!.id}: {REASONS[verification.brokenAt!.reason]}. {verification.checked.toLocaleString("en-US")} entries before it verified.
        </p>
      )}
    </section>
  );
}
