"use client";

import { useActionState } from "react";
import { sendTestInAppNotification, type SendTestState } from "./actions";

const field = { display: "grid", gap: 4 } as const;

/** The demo's "Send" form; says what happened, since the notification itself shows up in the inbox beside it. */
export function SendTestForm({ workspaceId, contactId }: { workspaceId: string; contactId: string }) {
  const [state, action, pending] = useActionState<SendTestState, FormData>(sendTestInAppNotification, null);
  return (
    <form action={action} style={{ display: "grid", gap: 8 }}>
      <input type="hidden" name="workspace" value={workspaceId} />
      <input type="hidden" name="contact" value={contactId} />
      <label style={field}>
        Title
        <input name="title" defaultValue="Your report is ready" maxLength={1000} />
      </label>
      <label style={field}>
        Body
        <textarea rows={3} name="body" defaultValue="The November report is ready to download." maxLength={100000} required />
      </label>
      <label style={field}>
        Action URL
        <input name="actionUrl" type="url" placeholder="https://app.example.com/reports/11" />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Sending…" : "Send"}
      </button>
      {state ? (
        <p role={state.ok ? "status" : "alert"} className={state.ok ? "muted" : "error-text"}>
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
