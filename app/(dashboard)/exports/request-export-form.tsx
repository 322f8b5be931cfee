"use client";

import { startTransition, useActionState, useState } from "react";
import { IDLE_EXPORT } from "../_lib/request-export";
import { requestExportAction } from "./actions";

/**
 * Ask for a workspace export or one contact's; the server checks the contact and the address.
 * Submitted by hand rather than through `action`, which resets the form after each answer: a
 * refused contact stays in its field to be corrected, and the chosen kind of export stays chosen.
 */
export function RequestExportForm({ workspaceId }: { workspaceId: string }) {
  const [state, formAction, pending] = useActionState(requestExportAction, IDLE_EXPORT);
  const [subject, setSubject] = useState("workspace");
  return (
    <form
      className="request-export"
      aria-busy={pending}
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => formAction(data));
      }}
    >
      <input type="hidden" name="workspace" value={workspaceId} />
      <fieldset>
        <legend>What to export</legend>
        <label>
          <input type="radio" name="subject" value="workspace" checked={subject === "workspace"} onChange={() => setSubject("workspace")} /> The whole workspace (contacts, lists, members, messages, engagement)
        </label>
        <br />
        <label>
          <input type="radio" name="subject" value="contact" checked={subject === "contact"} onChange={() => setSubject("contact")} /> One contact&apos;s data (access request)
        </label>
      </fieldset>
      <p>
        {subject === "contact" ? (
          <>
            <label>
              Contact{" "}
              <input type="text" name="contact" aria-label="Contact email or id" placeholder="email or id" required />
            </label>{" "}
          </>
        ) : null}
        <label>
          Email the link to{" "}
          <input type="email" name="notifyEmail" aria-label="Email the link to" placeholder="optional" />
        </label>{" "}
        <button type="submit" disabled={pending}>
          Export
        </button>
      </p>
      <p role="status" className={state.ok ? "muted" : "error-text"}>
        {state.message}
      </p>
    </form>
  );
}
