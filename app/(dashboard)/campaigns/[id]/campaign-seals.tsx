import Link from "next/link";
import type { SealView } from "@/lib/seals/seal-view";

/**
 * The campaign's seals: each re-verified from its stored row (an edited row shows as failed)
 * and compared with today's rollups, with the public page anyone can check it on. The page
 * passes `campaignSealViews(db, …)`.
 */
export function CampaignSeals({ seals }: { seals: SealView[] }) {
  return (
    <section aria-label="Sealed metrics">
      <h2>Sealed metrics</h2>
      {seals.length === 0 ? (
        <p className="muted">Not sealed yet: a campaign&apos;s metrics are sealed when it finishes and again 72 hours later.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>#</th>
              <th>Kind</th>
              <th>Sealed</th>
              <th>Stored seal</th>
              <th>Since sealed</th>
              <th>Public page</th>
            </tr>
          </thead>
          <tbody>
            {seals.map((seal) => (
              <tr key={seal.id}>
                <td className="num">{seal.sequence}</td>
                <td>{seal.kind}</td>
                <td className="mono nowrap">{seal.sealedAt}</td>
                <td>{seal.verified ? "verifies" : `FAILS: ${seal.problems.join("; ")}`}</td>
                <td>{seal.drift.length === 0 ? "no change" : seal.drift.map((drift) => `${drift.field} ${drift.sealed} → ${drift.current}`).join(", ")}</td>
                <td>
                  <Link href={seal.publicUrl}>Verify seal {seal.sequence}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
