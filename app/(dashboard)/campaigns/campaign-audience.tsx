import Link from "next/link";
import type { CampaignAudience as Audience } from "@/db/schema";
import { href } from "../_lib/search-params";

/**
 * Who a campaign goes to: a list links to its contacts; a segment (no dashboard page yet) is
 * named only. A deleted list or segment shows its id.
 */
export function CampaignAudience({ audience, name }: { audience: Audience; name: string | null }) {
  if ("listId" in audience) {
    return (
      <>
        list{" "}
        <Link href={href("/contacts", { listId: audience.listId })} title="Contacts in this list">
          {name ?? <span className="mono">{audience.listId}</span>}
        </Link>
      </>
    );
  }
  return <>segment {name ?? <span className="mono">{audience.segmentId}</span>}</>;
}
