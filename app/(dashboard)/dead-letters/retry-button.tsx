"use client";

import { useActionState } from "react";
import { IDLE_DEAD_LETTER_RETRY } from "../_lib/dead-letter-retry-state";
import { submitDeadLetterRetry } from "./actions";

/**
 * One retry form: a row's (`messageId`) or "retry all matching" (`filter`, sent as hidden
 * fields). Works without JavaScript; with it, the outcome shows beside the button.
 */
export function RetryButton({
  workspaceId,
  messageId,
  filter,
  label,
  confirm,
}: {
  workspaceId: string;
  messageId?: string;
  filter?: Record<string, string | undefined>;
  label: string;
  confirm?: string;
}) {
  const [state, formAction, pending] = useActionState(submitDeadLetterRetry, IDLE_DEAD_LETTER_RETRY);
  return (
    <form className="inline-form" action={formAction} aria-busy={pending}>
      <input type="hidden" name="workspace" value={workspaceId} />
      {messageId ? <input type="hidden" name="message" value={messageId} /> : null}
      {Object.entries(filter ?? {}).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <button
        type="submit"
        disabled={pending}
        onClick={(event) => {
          if (confirm && !window.confirm(confirm)) event.preventDefault();
        }}
      >
        {label}
      </button>{" "}
      <span role="status" className={state.ok ? "muted" : "error-text"}>
        {state.message}
      </span>
    </form>
  );
}
