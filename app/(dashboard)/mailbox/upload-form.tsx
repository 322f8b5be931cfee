"use client";

import { useActionState, useState } from "react";
import { DASHBOARD_UPLOAD_MAX_BYTES, IDLE_UPLOAD } from "../_lib/upload-limits";
import { formatBytes } from "../_lib/imports";
import { uploadMailboxAction } from "./actions";

function FieldErrors({ id, messages }: { id: string; messages: string[] | undefined }) {
  return messages?.length ? (
    <span id={id} className="field-error">
      {messages.join("; ")}
    </span>
  ) : null;
}

/** A plain form: every control is reachable with Tab and submits with Enter. */
export function MailboxUploadForm({ workspaceId }: { workspaceId: string }) {
  const [state, action, pending] = useActionState(uploadMailboxAction, IDLE_UPLOAD);
  const [tooLarge, setTooLarge] = useState<number | null>(null);
  const fileErrors = tooLarge === null ? state.fields.file : [`is ${formatBytes(tooLarge)}: the dashboard takes up to ${formatBytes(DASHBOARD_UPLOAD_MAX_BYTES)}; use POST /api/v1/mailbox/imports for larger files`];
  return (
    <form className="upload" action={action} aria-label="Import a mailbox">
      <input type="hidden" name="workspace" value={workspaceId} />
      <div className="upload-row">
        <label>
          Mailbox export (.mbox, .eml or .zip of .eml)
          <input
            name="file"
            type="file"
            accept=".mbox,.eml,.zip,application/mbox,message/rfc822,application/zip"
            required
            aria-invalid={Boolean(fileErrors)}
            aria-describedby={fileErrors ? "mailbox-file-error" : undefined}
            onChange={(event) => {
              const size = event.currentTarget.files?.[0]?.size ?? 0;
              setTooLarge(size > DASHBOARD_UPLOAD_MAX_BYTES ? size : null);
            }}
          />
          <FieldErrors id="mailbox-file-error" messages={fileErrors} />
        </label>
        <label>
          Your addresses (comma separated)
          <input
            name="ownerAddresses"
            placeholder="you@example.com"
            aria-invalid={Boolean(state.fields.ownerAddresses)}
            aria-describedby={state.fields.ownerAddresses ? "mailbox-owner-error" : undefined}
          />
          <FieldErrors id="mailbox-owner-error" messages={state.fields.ownerAddresses} />
        </label>
      </div>
      <div className="upload-actions">
        <button type="submit" disabled={pending || tooLarge !== null}>
          {pending ? "Uploading…" : "Upload and import"}
        </button>
        {state.message ? (
          <span className="error-text" role="alert">
            {state.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
