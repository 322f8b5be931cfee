import type { ContactRelationship } from "@/db/queries/contact-relationships";
import { Fields, Time } from "../../_components/ui";
import { SummariseButton } from "./summarise-button";

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The contact's relationship from the mailbox: the figures that matter, what awaits a reply, and the summary with its button. */
export function RelationshipPanel({ workspaceId, relationship: r }: { workspaceId: string; relationship: ContactRelationship }) {
  return (
    <div role="region" aria-label="Relationship">
      <Fields
        rows={[
          ["Strength", `${Math.round(r.strength)} / 100${r.goingCold ? " · going cold" : ""}`],
          ["Last interaction", <Time key="l" at={r.lastInteractionAt} />],
          ["Messages", `${r.messagesSent} sent · ${r.messagesReceived} received · ${r.sentLast90Days + r.receivedLast90Days} in the last 90 days`],
          [
            "Awaiting your reply",
            r.awaitingThreads > 0 ? (
              <span key="a">
                {plural(r.awaitingThreads, "thread")} — newest “{r.awaitingSubject ?? "(no subject)"}”, <Time at={r.awaitingSince} />
              </span>
            ) : (
              "nothing"
            ),
          ],
        ]}
      />
      {r.summary && r.nextAction ? (
        <div className="relationship-summary" aria-label="Relationship summary">
          <p>{r.summary}</p>
          <p>
            <strong>Next:</strong> {r.nextAction}
          </p>
          <p className="muted">
            {r.summarySource === "openai" ? "By OpenAI" : "By the heuristics"}, <Time at={r.summarisedAt} />
            {r.summaryNote ? ` · ${r.summaryNote}` : null}
          </p>
        </div>
      ) : (
        <p className="muted">No summary yet: Summarise asks for one (OpenAI when configured, the heuristics otherwise).</p>
      )}
      <SummariseButton workspaceId={workspaceId} contactId={r.contactId} label="Summarise" />
    </div>
  );
}
