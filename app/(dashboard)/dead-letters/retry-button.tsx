"use client";

import { useActionState } from "react";
import { ActionButtonForm } from "../_components/action-button-form";
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
    <ActionButtonForm formAction={formAction} pending={pending} state={state} fields={{ workspace: workspaceId, message: messageId, ...filter }} label={label} confirm={confirm} />
  );
}
