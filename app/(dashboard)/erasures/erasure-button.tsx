"use client";

import { useActionState } from "react";
import { ActionButtonForm } from "../_components/action-button-form";
import { type ErasureActionKind, IDLE_ERASURE_ACTION } from "../_lib/erasure-action-state";
import { erasureAction } from "./actions";

/** One erasure button (Erase, Restore, Send recovery email); works without JavaScript, and with it shows the outcome beside it. */
export function ErasureButton({ workspaceId, kind, target, label, confirm }: { workspaceId: string; kind: ErasureActionKind; target: string; label: string; confirm?: string }) {
  const [state, formAction, pending] = useActionState(erasureAction, IDLE_ERASURE_ACTION);
  return <ActionButtonForm formAction={formAction} pending={pending} state={state} fields={{ workspace: workspaceId, kind, target }} label={label} confirm={confirm} />;
}
