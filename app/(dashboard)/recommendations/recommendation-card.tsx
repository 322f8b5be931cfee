import type { AiRecommendation } from "@/db/queries/ai-recommendations";
import type { RecommendationAnswer } from "@/core/ai/recommendation-kinds";
import { DAY_NAMES } from "@/lib/ai/heuristic/send-time-rules";
import { Time } from "../_components/ui";
import { KIND_LABELS } from "../_lib/ask-recommendation";

const hour = (value: number) => `${String(value).padStart(2, "0")}:00`;

function Answer({ row }: { row: AiRecommendation }) {
  const answer = row.answer;
  if (!answer) return <p className="muted">Waiting for the answer…</p>;
  switch (row.kind) {
    case "subject-lines":
      return (
        <ol>
          {(answer as RecommendationAnswer<"subject-lines">).suggestions.map((suggestion, index) => (
            <li key={index}>
              <strong>{suggestion.subject}</strong> <span className="muted">— {suggestion.preheader}</span>
              <br />
              <small>{suggestion.rationale}</small>
            </li>
          ))}
        </ol>
      );
    case "send-time": {
      const { slots, explanation } = answer as RecommendationAnswer<"send-time">;
      return (
        <>
          <ol>
            {slots.map((slot, index) => (
              <li key={index}>
                <strong>
                  {DAY_NAMES[slot.dayOfWeek]} {hour(slot.hour)}
                </strong>
                <br />
                <small>{slot.rationale}</small>
              </li>
            ))}
          </ol>
          <p className="muted">{explanation}</p>
        </>
      );
    }
    case "content-feedback": {
      const { findings, summary } = answer as RecommendationAnswer<"content-feedback">;
      return (
        <>
          <p>{summary}</p>
          <ul>
            {findings.map((finding, index) => (
              <li key={index}>
                <span className={`badge badge-${finding.severity === "problem" ? "failed" : finding.severity === "warning" ? "paused" : "draft"}`}>{finding.severity}</span> {finding.issue}{" "}
                <small className="muted">{finding.suggestion}</small>
              </li>
            ))}
          </ul>
        </>
      );
    }
    case "campaign-summary": {
      const { headline, summary, highlights, concerns } = answer as RecommendationAnswer<"campaign-summary">;
      return (
        <>
          <p>
            <strong>{headline}</strong>
          </p>
          <p>{summary}</p>
          {highlights.length ? (
            <ul aria-label="Highlights">
              {highlights.map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
          ) : null}
          {concerns.length ? (
            <ul aria-label="Concerns">
              {concerns.map((line, index) => (
                <li key={index} className="error-text">
                  {line}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      );
    }
    case "relationship-summary": {
      const { summary, nextAction } = answer as RecommendationAnswer<"relationship-summary">;
      return (
        <>
          <p>{summary}</p>
          <p>
            <strong>Next:</strong> {nextAction}
          </p>
        </>
      );
    }
  }
}

/** One recommendation: the answer, where it came from (and why), and the data it was derived from. */
export function RecommendationCard({ row }: { row: AiRecommendation }) {
  const source = row.status === "pending" ? "pending" : row.source === "openai" ? `OpenAI (${row.model})` : "Heuristics";
  // A contact is named by id only: its summary's basis carries no name.
  const target = "name" in row.basis.target ? row.basis.target.name : row.basis.target.id;
  return (
    <article className="card recommendation" aria-label={`${KIND_LABELS[row.kind]}: ${target}`}>
      <header>
        <strong>{KIND_LABELS[row.kind]}</strong> · {row.basis.target.type} <em>{target}</em> · <Time at={row.createdAt} />{" "}
        <span className={`badge badge-${row.status === "pending" ? "scheduled" : row.source === "openai" ? "sent" : "draft"}`}>Source: {source}</span>
      </header>
      {row.note ? <p className="muted recommendation-note">Note: {row.note}</p> : null}
      <Answer row={row} />
      <details>
        <summary>Based on</summary>
        <pre className="mono">{JSON.stringify(row.basis, null, 2)}</pre>
      </details>
    </article>
  );
}
