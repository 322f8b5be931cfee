"use client";

import { useActionState, useState, useTransition } from "react";
import { DASHBOARD_UPLOAD_MAX_BYTES, IDLE_UPLOAD } from "../_lib/upload-limits";
import { formatBytes } from "../_lib/imports";
import { uploadImportAction } from "./actions";

type Option = { id: string; name: string };

const MODES = [
  ["upsert", "upsert — create new, update existing"],
  ["create-only", "create-only — existing contacts are row errors"],
  ["skip-existing", "skip-existing — leave existing contacts alone"],
] as const;

function FieldErrors({ messages }: { messages: string[] | undefined }) {
  return messages?.length ? <span className="field-error">{messages.join("; ")}</span> : null;
}

export function UploadForm({ workspaceId, lists }: { workspaceId: string; lists: Option[] }) {
  const [state, action, pending] = useActionState(uploadImportAction, IDLE_UPLOAD);
  const [, startTransition] = useTransition();
  const [tooLarge, setTooLarge] = useState<number | null>(null);
  const fileErrors = tooLarge === null ? state.fields.file : [`is ${formatBytes(tooLarge)}: the dashboard takes up to ${formatBytes(DASHBOARD_UPLOAD_MAX_BYTES)}; use POST /api/v1/imports for larger files`];

  return (
    <form
      className="upload"
      action={action}
      onSubmit={(event) => {
        // Dispatched by hand so a failed upload keeps what was typed (a form action resets the
        // form); without JavaScript the plain `action` still works.
        event.preventDefault();
        if (tooLarge !== null) return;
        const form = new FormData(event.currentTarget);
        startTransition(() => action(form));
      }}
    >
      <input type="hidden" name="workspace" value={workspaceId} />
      <div className="upload-row">
        <label>
          File (CSV, XLSX or vCard)
          <input
            name="file"
            type="file"
            accept=".csv,.tsv,.txt,.xlsx,.vcf,.vcard,text/csv,text/vcard,text/x-vcard,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            aria-invalid={Boolean(fileErrors)}
            onChange={(event) => {
              const size = event.currentTarget.files?.[0]?.size ?? 0;
              setTooLarge(size > DASHBOARD_UPLOAD_MAX_BYTES ? size : null);
            }}
          />
          <FieldErrors messages={fileErrors} />
        </label>
        <label>
          Mode
          <select name="mode" defaultValue="upsert">
            {MODES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <FieldErrors messages={state.fields.mode} />
        </label>
        <label>
          Add to list
          <select name="listId" defaultValue="" aria-invalid={Boolean(state.fields.listId)}>
            <option value="">none</option>
            {lists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
          <FieldErrors messages={state.fields.listId} />
        </label>
        <label>
          Tags, labels, groups
          <select name="tagsAs" defaultValue="attribute" aria-invalid={Boolean(state.fields.tagsAs)}>
            <option value="attribute">attribute &quot;tags&quot;</option>
            <option value="lists">lists of those names</option>
          </select>
          <FieldErrors messages={state.fields.tagsAs} />
        </label>
        <label>
          Sheet (XLSX, optional)
          <input name="sheet" placeholder="first sheet" aria-invalid={Boolean(state.fields.sheet)} />
          <FieldErrors messages={state.fields.sheet} />
        </label>
      </div>
      <label className="mapping">
        Column mapping (optional JSON: header → field, &quot;ignore&quot; or &quot;attribute:&lt;key&gt;&quot;)
        <textarea
          name="mapping"
          rows={2}
          spellCheck={false}
          placeholder='{"E-mail address": "email", "Mobile": "phone", "Plan": "attribute:plan"}'
          aria-invalid={Boolean(state.fields.mapping)}
        />
        <FieldErrors messages={state.fields.mapping} />
      </label>
      <p className="muted">
        Exports of Google Contacts, Outlook, Apple Contacts (vCard), Mailchimp, HubSpot, Brevo and Klaviyo are read as
        they are: no mapping needed. Only a row with neither a valid email nor a valid phone is rejected; any other value
        that cannot be used (a birthday, time zone or locale, a second phone…) is left out and listed as a warning in the
        error report, and the contact is imported.
      </p>
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
