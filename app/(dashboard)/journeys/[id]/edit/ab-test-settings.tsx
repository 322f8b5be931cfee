"use client";

import { AB_MAX_VARIANTS, AB_METRICS, AB_MIN_VARIANTS, abVariantLabel } from "@/core/ab-tests/ab-test";
import { JOURNEY_AB_DEFAULT_SAMPLE_SIZE, JOURNEY_AB_DEFAULT_WINDOW_HOURS } from "@/core/journeys/journey-ab-test";
import { SUBJECT_RULE, type Channel } from "@/core/messages/channels";

type Variant = { templateId?: string; subject?: string; from?: string; delayMinutes?: number };
type AbTest = { variants: Variant[]; metric: string; goalEvent?: string; sampleSize?: number; windowHours?: number };

const METRIC_NAMES: Record<string, string> = { opens: "Opens (human)", clicks: "Clicks (human)", goal: "A goal event" };

/** An empty field is "not changed by this variant": the key is left out, not saved as "". */
const orUndefined = (value: string) => (value.trim() === "" ? undefined : value);

/**
 * A send step's A/B test in the canvas's side panel: on or off, 2–4 variants (each may change the
 * template, the subject, the sender or the send time), the metric, the sample per variant and the
 * window. Publishing validates it (core/journeys/validate-graph.ts) and names what is wrong.
 */
export function AbTestSettings(props: { value: unknown; channel: string; templates: { id: string; name: string }[]; onChange: (value: AbTest | undefined) => void }) {
  const test = props.value as AbTest | undefined;
  const hasSubject = SUBJECT_RULE[props.channel as Channel] !== undefined && SUBJECT_RULE[props.channel as Channel] !== "none";
  if (!test) {
    return (
      <label className="canvas-field">
        <span>A/B test</span>
        <input
          type="checkbox"
          aria-label="A/B test this send"
          checked={false}
          onChange={() => props.onChange({ metric: "opens", sampleSize: JOURNEY_AB_DEFAULT_SAMPLE_SIZE, windowHours: JOURNEY_AB_DEFAULT_WINDOW_HOURS, variants: [{}, {}] })}
        />
      </label>
    );
  }
  const update = (changes: Partial<AbTest>) => props.onChange({ ...test, ...changes });
  const updateVariant = (index: number, changes: Variant) =>
    update({ variants: test.variants.map((variant, at) => (at === index ? Object.fromEntries(Object.entries({ ...variant, ...changes }).filter(([, v]) => v !== undefined)) : variant)) });
  return (
    <fieldset className="canvas-ab-test" aria-label="A/B test">
      <legend>
        <label>
          <input type="checkbox" aria-label="A/B test this send" checked onChange={() => props.onChange(undefined)} /> A/B test
        </label>
      </legend>
      {test.variants.map((variant, index) => (
        <fieldset key={index} aria-label={`Variant ${abVariantLabel(index)}`}>
          <legend>Variant {abVariantLabel(index)}</legend>
          {hasSubject ? (
            <label className="canvas-field">
              <span>Subject</span>
              <input value={variant.subject ?? ""} placeholder="the template's" onChange={(event) => updateVariant(index, { subject: orUndefined(event.target.value) })} />
            </label>
          ) : null}
          <label className="canvas-field">
            <span>Template</span>
            <select value={variant.templateId ?? ""} onChange={(event) => updateVariant(index, { templateId: orUndefined(event.target.value) })}>
              <option value="">The step&apos;s template</option>
              {props.templates.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                </option>
              ))}
            </select>
          </label>
          {props.channel === "email" ? (
            <label className="canvas-field">
              <span>From</span>
              <input value={variant.from ?? ""} placeholder="the workspace's sender" onChange={(event) => updateVariant(index, { from: orUndefined(event.target.value) })} />
            </label>
          ) : null}
          <label className="canvas-field">
            <span>Send after (minutes)</span>
            <input
              type="number"
              min={0}
              value={variant.delayMinutes ?? 0}
              onChange={(event) => updateVariant(index, { delayMinutes: Number(event.target.value) > 0 ? Number(event.target.value) : undefined })}
            />
          </label>
        </fieldset>
      ))}
      <p className="canvas-ab-buttons">
        {test.variants.length < AB_MAX_VARIANTS ? (
          <button type="button" onClick={() => update({ variants: [...test.variants, {}] })}>
            Add variant
          </button>
        ) : null}{" "}
        {test.variants.length > AB_MIN_VARIANTS ? (
          <button type="button" onClick={() => update({ variants: test.variants.slice(0, -1) })}>
            Remove variant {abVariantLabel(test.variants.length - 1)}
          </button>
        ) : null}
      </p>
      <label className="canvas-field">
        <span>Winner by</span>
        <select value={test.metric} onChange={(event) => update({ metric: event.target.value, goalEvent: event.target.value === "goal" ? test.goalEvent : undefined })}>
          {AB_METRICS.map((metric) => (
            <option key={metric} value={metric}>
              {METRIC_NAMES[metric]}
            </option>
          ))}
        </select>
      </label>
      {test.metric === "goal" ? (
        <label className="canvas-field">
          <span>Goal event</span>
          <input value={test.goalEvent ?? ""} onChange={(event) => update({ goalEvent: orUndefined(event.target.value) })} />
        </label>
      ) : null}
      <label className="canvas-field">
        <span>Sample per variant</span>
        <input type="number" min={1} value={test.sampleSize ?? JOURNEY_AB_DEFAULT_SAMPLE_SIZE} onChange={(event) => update({ sampleSize: Number(event.target.value) })} />
      </label>
      <label className="canvas-field">
        <span>Window (hours)</span>
        <input type="number" min={1} value={test.windowHours ?? JOURNEY_AB_DEFAULT_WINDOW_HOURS} onChange={(event) => update({ windowHours: Number(event.target.value) })} />
      </label>
    </fieldset>
  );
}
