"use client";

import { useActionState } from "react";
import { ActionButtonForm } from "../../_components/action-button-form";
import { IDLE_SUMMARISE_ACTION } from "../../_lib/summarise-action-state";
import { summariseRelationshipAction } from "./actions";

/** Asks for the relationship's summary and next action; the page shows it once answered. */
export function SummariseButton({ workspaceId, contactId, label }: { workspaceId: string; contactId: string; label: string }) {
  const [state, formAction, pending] = useActionState(summariseRelationshipAction, IDLE_SUMMARISE_ACTION);
  return <ActionButtonForm formAction={formAction} pending={pending} state={state} fields={{ workspace: workspaceId, contact: contactId }} label={label} />;
}
