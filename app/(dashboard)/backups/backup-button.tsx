"use client";

import { useActionState } from "react";
import { IDLE_BACKUP_ACTION } from "../_lib/backup-action-state";
import { submitBackup } from "./actions";

/** "Back up now": works without JavaScript; with it, the outcome shows beside the button. */
export function BackupButton() {
  const [state, formAction, pending] = useActionState(submitBackup, IDLE_BACKUP_ACTION);
  return (
    <form className="inline-form" action={formAction} aria-busy={pending}>
      <button type="submit" disabled={pending}>
        Back up now
      </button>{" "}
      <span role="status" className={state.ok === false ? "error-text" : "muted"}>
        {state.message}
      </span>
    </form>
  );
}
