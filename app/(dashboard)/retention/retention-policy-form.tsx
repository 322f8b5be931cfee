"use client";

import { type FormEvent, startTransition, useActionState, useState } from "react";
import type { RetentionPolicyView } from "@/lib/lifecycle/retention-policy";
import { IDLE_RETENTION } from "../_lib/retention-form";
import { retentionPolicyAction } from "./actions";
import { DryRunReportTable } from "./dry-run-report";

const RULE_FIELDS = [
  ["inactiveContactDays", "Anonymise contacts inactive for", "no message queued or sent, no engagement, no change to the contact"],
  ["messageBodyDays", "Drop message bodies after", "request bodies and variables, outbox copies' HTML and text; queued messages and dead letters keep theirs"],
  ["webhookPayloadDays", "Clear provider webhook payloads after", "stored Resend, Twilio and WhatsApp payloads about this workspace's messages"],
  ["runDataDays", "Delete finished runs' data after", "finished imports' error and staging rows, finished campaigns' chunks, sent digests' items"],
] as const;

/** The policy form: each rule's days (empty: off), the share that needs a confirmation, enable; dry run, review and confirm. */
export function RetentionPolicyForm({ workspaceId, policy }: { workspaceId: string; policy: RetentionPolicyView }) {
  const [state, formAction, pending] = useActionState(retentionPolicyAction, IDLE_RETENTION);
  // Controlled, and submitted by hand rather than through `action`: React resets a form after its
  // action (checkboxes included, controlled or not), and the values must survive a dry run so
  // that "Save", "Enable" and "Confirm" send what the report was about.
  const [days, setDays] = useState<Record<string, string>>(() => Object.fromEntries(RULE_FIELDS.map(([name]) => [name, policy[name] === null ? "" : String(policy[name])])));
  const [sharePercent, setSharePercent] = useState(String(Math.round(policy.confirmShare * 1000) / 10));
  const [enabled, setEnabled] = useState(policy.enabled);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The clicked button's name and value (the intent) go with the fields, as a native submit sends them.
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  };
  return (
    <form className="retention-policy" onSubmit={submit} aria-busy={pending}>
      <input type="hidden" name="workspace" value={workspaceId} />
      {RULE_FIELDS.map(([name, label, hint]) => (
        <p key={name}>
          <label>
            {label}{" "}
            <input
              type="number"
              name={name}
              min={1}
              step={1}
              value={days[name] ?? ""}
              onChange={(event) => setDays((current) => ({ ...current, [name]: event.target.value }))}
              placeholder="off" aria-label={label} aria-invalid={state.fields?.[name] ? true : undefined} /> days
          </label>{" "}
          <span className="muted">{hint}</span>
          {state.fields?.[name] ? <span className="error-text"> {state.fields[name]}</span> : null}
        </p>
      ))}
      <p>
        <label>
          Ask for a confirmation above{" "}
          <input type="number" name="confirmSharePercent" min={0.1} max={100} step={0.1} value={sharePercent}
            onChange={(event) => setSharePercent(event.target.value)}
            aria-label="Confirmation share" /> % of contacts anonymised
        </label>
      </p>
      <p>
        <label>
          <input type="checkbox" name="enabled" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} /> Enabled (applied daily at 03:30 UTC)
        </label>
      </p>
      <p>
        <button type="submit" name="intent" value="preview" disabled={pending}>
          Dry run
        </button>{" "}
        <button type="submit" name="intent" value="save" disabled={pending}>
          Save
        </button>
      </p>
      <p role="status" className={state.kind === "error" ? "error-text" : state.kind === "confirm" ? "warning-text" : "muted"}>
        {state.message}
      </p>
      {state.report ? <DryRunReportTable report={state.report} /> : null}
      {state.kind === "review" ? (
        <p>
          <button type="submit" name="intent" value="enable" disabled={pending}>
            Enable this policy
          </button>
        </p>
      ) : null}
      {state.kind === "confirm" ? (
        <p>
          <button type="submit" name="intent" value="confirm" className="danger" disabled={pending}>
            Confirm and enable: anonymise {state.report?.contacts.wouldAnonymise} contacts
          </button>
        </p>
      ) : null}
    </form>
  );
}
