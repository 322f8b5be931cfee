"use client";

import { useActionState } from "react";
import { IDLE_ASK } from "../_lib/ask-recommendation";
import { askRecommendationAction } from "./actions";

export type TargetOption = { value: string; label: string };

/** Pick what to ask and about what; the server checks that the two go together. */
export function AskRecommendationForm({
  workspaceId,
  kinds,
  targets,
}: {
  workspaceId: string;
  kinds: readonly { value: string; label: string }[];
  /** One option: the target is fixed (the campaign page) and shown as text. */
  targets: readonly TargetOption[];
}) {
  const [state, formAction, pending] = useActionState(askRecommendationAction, IDLE_ASK);
  return (
    <form className="ask-recommendation" action={formAction} aria-busy={pending}>
      <input type="hidden" name="workspace" value={workspaceId} />
      <p>
        <label>
          Recommendation{" "}
          <select name="kind" aria-label="Recommendation" defaultValue={kinds[0]?.value}>
            {kinds.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </label>{" "}
        {targets.length === 1 ? (
          <input type="hidden" name="target" value={targets[0]!.value} />
        ) : (
          <label>
            for{" "}
            <select name="target" aria-label="About" defaultValue={targets[0]?.value}>
              {targets.map((target) => (
                <option key={target.value} value={target.value}>
                  {target.label}
                </option>
              ))}
            </select>
          </label>
        )}{" "}
        <button type="submit" disabled={pending || targets.length === 0}>
          Ask
        </button>
      </p>
      <p role="status" className={state.ok ? "muted" : "error-text"}>
        {state.message}
      </p>
    </form>
  );
}
