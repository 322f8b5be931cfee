"use client";

import { useActionState } from "react";
import { IDLE_UPLOAD } from "../_lib/upload-limits";
import { connectImapAction, type ImapFormState, reconnectImapAction } from "./imap-actions";

function FieldErrors({ id, messages }: { id: string; messages: string[] | undefined }) {
  return messages?.length ? (
    <span id={id} className="field-error">
      {messages.join("; ")}
    </span>
  ) : null;
}

function Field({ name, label, errors, ...input }: { name: string; label: string; errors: string[] | undefined } & React.InputHTMLAttributes<HTMLInputElement>) {
  const errorId = `imap-${name}-error`;
  return (
    <label>
      {label}
      <input name={name} aria-invalid={Boolean(errors)} aria-describedby={errors ? errorId : undefined} {...input} />
      <FieldErrors id={errorId} messages={errors} />
    </label>
  );
}

/** Connect an IMAP mailbox: the login is checked before anything is stored. */
export function ImapConnectForm({ workspaceId }: { workspaceId: string }) {
  const [state, action, pending] = useActionState(connectImapAction, IDLE_UPLOAD as ImapFormState);
  const errors = state.fields;
  // React resets a submitted form to its defaults: what was typed comes back as the defaults.
  const typed = state.values ?? {};
  return (
    <form className="upload" action={action} aria-label="Connect an IMAP mailbox">
      <input type="hidden" name="workspace" value={workspaceId} />
      <div className="upload-row">
        <Field name="host" label="IMAP server" placeholder="imap.example.com" required defaultValue={typed.host} errors={errors.host} />
        <Field name="port" label="Port" type="number" defaultValue={typed.port || 993} min={1} max={65535} errors={errors.port} />
        <label>
          <input name="secure" type="checkbox" defaultChecked={typed.secure !== "off"} /> TLS
        </label>
        <Field name="user" label="User name" autoComplete="off" required defaultValue={typed.user} errors={errors.user} />
        <Field name="password" label="Password" type="password" autoComplete="new-password" required errors={errors.password} />
        <Field name="ownerAddresses" label="Your email addresses (comma separated)" placeholder="you@example.com" required defaultValue={typed.ownerAddresses} errors={errors.ownerAddresses} />
        <Field name="folders" label="Folders (INBOX and Sent if empty)" placeholder="INBOX, Sent" defaultValue={typed.folders} errors={errors.folders} />
      </div>
      <div className="upload-actions">
        <button type="submit" disabled={pending}>
          {pending ? "Connecting…" : "Connect"}
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

/** A new password for a connection the server stopped accepting. */
export function ImapReconnectForm({ workspaceId, connectionId }: { workspaceId: string; connectionId: string }) {
  const [state, action, pending] = useActionState(reconnectImapAction, IDLE_UPLOAD);
  return (
    <form className="inline-form" action={action} aria-label="Reconnect the mailbox">
      <input type="hidden" name="workspace" value={workspaceId} />
      <input type="hidden" name="connection" value={connectionId} />
      <Field name="password" label="New password" type="password" autoComplete="new-password" required errors={state.fields.password} />
      <button type="submit" disabled={pending}>
        {pending ? "Reconnecting…" : "Reconnect"}
      </button>
      {state.message ? (
        <span className="error-text" role="alert">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
