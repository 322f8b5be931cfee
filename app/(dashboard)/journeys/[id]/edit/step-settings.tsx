"use client";

import { useEffect, useMemo, useState } from "react";
import { CHANNELS } from "@/core/messages/channels";
import type { TemplatePreview } from "@/lib/templates/template-preview-request";
import { AbTestSettings } from "./ab-test-settings";
import { type CanvasPreview, previewCanvasSend } from "./canvas-actions";
import { STEP_TITLES } from "./canvas-nodes";
import { EmailImages } from "./email-images";

type Draft = Record<string, unknown>;
export type TemplateChoice = { id: string; name: string; channel: string };
export type ListChoice = { id: string; name: string };
export type StoredPreview = { templateId: string; preview: TemplatePreview | null; problem: string | null };

const UNITS = ["minutes", "hours", "days"] as const;

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="canvas-field">
      <span>{label}</span>
      {children}
    </label>
  );
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function Duration({ label, value, onChange }: { label: string; value: unknown; onChange: (next: Draft) => void }) {
  const duration = (value ?? { amount: 1, unit: "days" }) as { amount?: number; unit?: string };
  return (
    <fieldset className="canvas-duration">
      <legend>{label}</legend>
      <input type="number" min={1} aria-label={`${label}: amount`} value={duration.amount ?? ""} onChange={(event) => onChange({ ...duration, amount: Number(event.target.value) })} />
      <select aria-label={`${label}: unit`} value={duration.unit ?? "days"} onChange={(event) => onChange({ ...duration, unit: event.target.value })}>
        {UNITS.map((unit) => (
          <option key={unit}>{unit}</option>
        ))}
      </select>
    </fieldset>
  );
}

/** A send step's message rendered for the sample contact, re-rendered when its template changes. */
function SendPreview({ workspaceId, journeyId, stepId, templateId, stored, fresh }: { workspaceId: string; journeyId: string; stepId: string; templateId: string; stored: StoredPreview | undefined; fresh: CanvasPreview | null }) {
  // The one rendered when the draft was saved, while the step still sends that template: no round trip.
  const prerendered = useMemo(
    (): CanvasPreview | null =>
      stored && stored.templateId === templateId ? (stored.preview ? { ok: true, preview: stored.preview } : { ok: false, message: stored.problem ?? "The template cannot render." }) : null,
    [stored, templateId],
  );
  const [fetched, setPreview] = useState<CanvasPreview | null>(null);
  // One rendered after this page changed the template (an image inserted) wins over both.
  const preview = fresh ?? prerendered ?? fetched;
  useEffect(() => {
    if (prerendered) return;
    let current = true;
    previewCanvasSend({ workspaceId, journeyId, stepId, templateId })
      .then((outcome) => current && setPreview(outcome))
      .catch(() => current && setPreview({ ok: false, message: "The preview could not be loaded." }));
    return () => {
      current = false;
    };
  }, [journeyId, prerendered, stepId, templateId, workspaceId]);
  if (!preview) return <p className="muted">Rendering…</p>;
  if (!preview.ok) return <p className="problem">{preview.message}</p>;
  const message = preview.preview;
  return (
    <section className="canvas-preview" aria-label="Message preview" data-prerendered={!fresh && prerendered ? "true" : undefined}>
      <h4>Preview for the sample contact Ada Lovelace</h4>
      {message.channel === "email" ? (
        <>
          <p>
            <strong>Subject:</strong> {message.subject}
          </p>
          <iframe title="Email preview" sandbox="" srcDoc={message.html} />
        </>
      ) : (
        <>
          {"title" in message && message.title ? <strong>{message.title}</strong> : null}
          <p className="canvas-preview-text">{message.text}</p>
        </>
      )}
    </section>
  );
}

/**
 * The side panel's settings of the selected step (or of the trigger): each change is an edit of
 * the draft, keyed by step and field so typing is one undo step.
 */
export function StepSettings(props: {
  step: Draft;
  steps: Draft[];
  templates: TemplateChoice[];
  lists: ListChoice[];
  stored: StoredPreview | undefined;
  workspaceId: string;
  journeyId: string;
  readOnly: boolean;
  onChange: (settings: Draft, field: string) => void;
}) {
  const { step, onChange } = props;
  const set = (field: string, value: unknown) => onChange({ ...step, [field]: value }, field);
  const id = String(step.id);
  const [attributes, setAttributes] = useState(() => JSON.stringify(step.attributes ?? {}, null, 2));
  const [attributesProblem, setAttributesProblem] = useState<string | null>(null);
  // The preview an image insertion answered, for the template it was rendered from.
  const [fresh, setFresh] = useState<{ templateId: string; preview: CanvasPreview } | null>(null);

  return (
    <fieldset className="canvas-settings" disabled={props.readOnly}>
      <legend>
        {STEP_TITLES[String(step.type)] ?? String(step.type)} · {id}
      </legend>
      <Field label="Label">
        <input value={text(step.label)} onChange={(event) => set("label", event.target.value || undefined)} />
      </Field>
      {step.type === "send" ? (
        <>
          <Field label="Channel">
            <select value={text(step.channel)} onChange={(event) => set("channel", event.target.value)}>
              {CHANNELS.map((channel) => (
                <option key={channel}>{channel}</option>
              ))}
            </select>
          </Field>
          <Field label="Template">
            <select value={text(step.templateId)} onChange={(event) => set("templateId", event.target.value)}>
              <option value="">Choose a template…</option>
              {props.templates
                .filter((template) => template.channel === step.channel)
                .map((template) => (
                  <option key={template.id} value={template.id}>
                    {template.name}
                  </option>
                ))}
            </select>
          </Field>
          <Field label="Category (optional)">
            <input value={text(step.category)} onChange={(event) => set("category", event.target.value || undefined)} />
          </Field>
          <AbTestSettings value={step.abTest} channel={text(step.channel)} templates={props.templates.filter((template) => template.channel === step.channel)} onChange={(value) => set("abTest", value)} />
          {text(step.templateId) ? (
            <SendPreview
              workspaceId={props.workspaceId}
              journeyId={props.journeyId}
              stepId={id}
              templateId={text(step.templateId)}
              stored={props.stored}
              fresh={fresh?.templateId === text(step.templateId) ? fresh.preview : null}
            />
          ) : null}
          {step.channel === "email" && text(step.templateId) && !props.readOnly ? (
            <EmailImages
              workspaceId={props.workspaceId}
              journeyId={props.journeyId}
              stepId={id}
              templateId={text(step.templateId)}
              onInserted={(preview) => setFresh({ templateId: text(step.templateId), preview })}
            />
          ) : null}
        </>
      ) : null}
      {step.type === "wait" ? (
        <>
          <Field label="Wait">
            <select
              value={step.untilLocalTime !== undefined ? "until" : "duration"}
              onChange={(event) => {
                const { duration: _duration, untilLocalTime: _until, ...rest } = step;
                onChange(event.target.value === "until" ? { ...rest, untilLocalTime: "09:00" } : { ...rest, duration: { amount: 1, unit: "days" } }, "mode");
              }}
            >
              <option value="duration">for a duration</option>
              <option value="until">until a local time</option>
            </select>
          </Field>
          {step.untilLocalTime !== undefined ? (
            <Field label="Local time (HH:MM)">
              <input value={text(step.untilLocalTime)} onChange={(event) => set("untilLocalTime", event.target.value)} />
            </Field>
          ) : (
            <Duration label="Duration" value={step.duration} onChange={(value) => set("duration", value)} />
          )}
        </>
      ) : null}
      {step.type === "waitForEvent" ? (
        <>
          <Field label="Event">
            <select value={text(step.event)} onChange={(event) => set("event", event.target.value)}>
              <option value="opened">the message is opened</option>
              <option value="clicked">a link is clicked</option>
              <option value="custom">a custom event</option>
            </select>
          </Field>
          {step.event === "custom" ? (
            <Field label="Event name">
              <input value={text(step.eventName)} onChange={(event) => set("eventName", event.target.value || undefined)} />
            </Field>
          ) : (
            <Field label="Of the message sent by">
              <select value={text(step.sendNodeId)} onChange={(event) => set("sendNodeId", event.target.value || undefined)}>
                <option value="">the previous send on the path</option>
                {props.steps
                  .filter((other) => other.type === "send")
                  .map((other) => (
                    <option key={String(other.id)}>{String(other.id)}</option>
                  ))}
              </select>
            </Field>
          )}
          <Duration label="Timeout" value={step.timeout} onChange={(value) => set("timeout", value)} />
        </>
      ) : null}
      {step.type === "branch" ? (
        <Field label="Condition (CEL)">
          <textarea rows={3} value={text(step.condition)} placeholder='contact.attributes.plan == "pro"' onChange={(event) => set("condition", event.target.value)} />
        </Field>
      ) : null}
      {step.type === "randomSplit" ? (
        <fieldset>
          <legend>Exits and their weights</legend>
          {((step.exits ?? []) as Draft[]).map((exit, index) => (
            <Field key={index} label={`split-${index + 1}`}>
              <input
                type="number"
                min={1}
                value={Number(exit.weight ?? 1)}
                onChange={(event) => set("exits", ((step.exits ?? []) as Draft[]).map((other, at) => (at === index ? { ...other, weight: Number(event.target.value) } : other)))}
              />
            </Field>
          ))}
          <button type="button" disabled={((step.exits ?? []) as Draft[]).length >= 4} onClick={() => set("exits", [...((step.exits ?? []) as Draft[]), { weight: 1 }])}>
            Add an exit
          </button>{" "}
          <button type="button" disabled={((step.exits ?? []) as Draft[]).length <= 2} onClick={() => set("exits", ((step.exits ?? []) as Draft[]).slice(0, -1))}>
            Remove the last exit
          </button>
        </fieldset>
      ) : null}
      {step.type === "updateContact" ? (
        <Field label="Attributes to set (JSON)">
          <textarea
            rows={4}
            value={attributes}
            onChange={(event) => {
              setAttributes(event.target.value);
              try {
                const parsed = JSON.parse(event.target.value) as unknown;
                if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
                setAttributesProblem(null);
                set("attributes", parsed);
              } catch {
                setAttributesProblem("Not saved until it is a JSON object, such as {\"plan\": \"pro\"}.");
              }
            }}
          />
          {attributesProblem ? <span className="problem">{attributesProblem}</span> : null}
        </Field>
      ) : null}
      {step.type === "addToList" || step.type === "removeFromList" ? (
        <Field label="List">
          <select value={text(step.listId)} onChange={(event) => set("listId", event.target.value)}>
            <option value="">Choose a list…</option>
            {props.lists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {step.type === "webhook" ? (
        <Field label="URL">
          <input type="url" value={text(step.url)} placeholder="https://" onChange={(event) => set("url", event.target.value)} />
        </Field>
      ) : null}
      {step.type === "exit" ? <p className="muted">The contact leaves the journey here.</p> : null}
    </fieldset>
  );
}

/** The trigger's panel: what starts the journey, re-entry and the goal (settings of the journey itself). */
export function TriggerSettings({ draft, readOnly, onChange }: { draft: Draft; readOnly: boolean; onChange: (next: Draft, field: string) => void }) {
  const trigger = (draft.trigger ?? { type: "event", eventName: "" }) as Draft;
  const reentry = (draft.reentry ?? { mode: "never" }) as Draft;
  const goal = draft.goal as Draft | null | undefined;
  return (
    <fieldset className="canvas-settings" disabled={readOnly}>
      <legend>Trigger</legend>
      <Field label="Starts on">
        <select value={text(trigger.type)} onChange={(event) => onChange({ ...draft, trigger: event.target.value === "segment" ? { type: "segment", segmentId: "" } : { type: "event", eventName: "" } }, "trigger-type")}>
          <option value="event">an event</option>
          <option value="segment">entering a segment</option>
        </select>
      </Field>
      {trigger.type === "segment" ? (
        <Field label="Segment id">
          <input value={text(trigger.segmentId)} onChange={(event) => onChange({ ...draft, trigger: { type: "segment", segmentId: event.target.value } }, "trigger")} />
        </Field>
      ) : (
        <Field label="Event name">
          <input value={text(trigger.eventName)} onChange={(event) => onChange({ ...draft, trigger: { type: "event", eventName: event.target.value } }, "trigger")} />
        </Field>
      )}
      <Field label="Re-entry">
        <select value={text(reentry.mode)} onChange={(event) => onChange({ ...draft, reentry: event.target.value === "after" ? { mode: "after", days: 30 } : { mode: event.target.value } }, "reentry")}>
          <option value="never">never</option>
          <option value="after">after some days</option>
          <option value="always">always</option>
        </select>
      </Field>
      {reentry.mode === "after" ? (
        <Field label="Days before re-entry">
          <input type="number" min={1} value={Number(reentry.days ?? 30)} onChange={(event) => onChange({ ...draft, reentry: { mode: "after", days: Number(event.target.value) } }, "reentry-days")} />
        </Field>
      ) : null}
      <Field label="Goal event (exits the journey)">
        <input value={text(goal?.eventName)} placeholder="none" onChange={(event) => onChange({ ...draft, goal: event.target.value ? { eventName: event.target.value } : null }, "goal")} />
      </Field>
    </fieldset>
  );
}
