import type { Db } from "@/db";
import { sampleAudience } from "@/db/queries/audience-sample";
import type { Campaign } from "@/db/queries/campaigns";
import { getTemplate } from "@/db/queries/templates";
import { unknownTemplateVariables } from "@/lib/templates/check-template-variables";
import { type CompiledTemplate, compileTemplate } from "@/lib/templates/compile-template";
import { TemplateError, type TemplateProblem } from "@/lib/templates/template-error";
import { exampleVariables } from "@/lib/templates/template-variables";
import { audienceCondition } from "@/db/queries/audience-condition";
import { CAMPAIGN_TEMPLATE_VARIABLES, campaignMessageVariables } from "./campaign-template-variables";

/** Stands in for the message id while rendering a sample: no message exists yet. */
const SAMPLE_MESSAGE_ID = "00000000-0000-0000-0000-000000000000";
/** More problems than this are summarised as "and N more". */
export const PREFLIGHT_MAX_PROBLEMS = 10;

export type PreflightProblem = {
  /** The request field the problem is about (what the API reports it under). */
  field: "templateId" | "audience";
  /** Where in the template, when the problem is in it. */
  part: TemplateProblem["part"] | null;
  line: number | null;
  /** The variable's path as the template writes it, for undefined variables. */
  variable: string | null;
  message: string;
  /** The sample contact the template failed for. */
  contactId: string | null;
};

export type Preflight = { ok: true; sampled: number } | { ok: false; problems: PreflightProblem[]; message: string };

type CampaignToCheck = Pick<Campaign, "workspaceId" | "channel" | "templateId" | "audience">;

const problem = (field: PreflightProblem["field"], message: string): PreflightProblem => ({ field, part: null, line: null, variable: null, message, contactId: null });

const templateProblem = ({ part, line, variable, message }: TemplateProblem, contactId: string | null = null): PreflightProblem => ({
  field: "templateId",
  part,
  line,
  variable,
  message,
  contactId,
});

/** A template error on one sample contact, with the fix an author needs when some contacts lack a field. */
function sampleProblem(error: TemplateError, contact: { id: string; email: string | null; phone: string | null }): PreflightProblem {
  const who = contact.email ?? contact.phone ?? contact.id;
  const attribute = error.problem.variable?.startsWith("contact.attributes.") ? error.problem.variable : null;
  const hint = attribute ? ` (some contacts lack it: write \`{{ ${attribute} | default: "" }}\` or guard it with {% if %})` : "";
  return templateProblem({ ...error.problem, message: `${error.problem.message} for the contact ${who}${hint}` }, contact.id);
}

function refused(problems: PreflightProblem[]): Preflight {
  const shown = problems.slice(0, PREFLIGHT_MAX_PROBLEMS);
  const first = shown[0]!.message;
  const others = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  const text = `The campaign cannot be sent: ${first}${others}`;
  const message = /[.?!]$/.test(text) ? text : `${text}.`;
  return { ok: false, problems: shown, message };
}

async function renderOrProblem(template: CompiledTemplate, variables: Record<string, unknown>): Promise<TemplateError | null> {
  try {
    await template.render(variables);
    return null;
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
}

/**
 * Whether a campaign's template can render every message before anything is sent: it must
 * parse, read only variables a campaign message has (CAMPAIGN_TEMPLATE_VARIABLES), and render
 * for a sample of the real audience — the contacts a template most often breaks on (see
 * sampleAudience), or the schema's example contact when the audience is empty. Each problem
 * names the variable and where it is. Creating a campaign, sending it, scheduling it and the
 * scheduled run all ask this first.
 */
export async function preflightCampaign(db: Db, campaign: CampaignToCheck): Promise<Preflight> {
  const template = await getTemplate(db, { workspaceId: campaign.workspaceId, templateId: campaign.templateId });
  if (!template) return refused([problem("templateId", "the campaign's template no longer exists")]);
  if (template.channel !== campaign.channel) return refused([problem("templateId", `the template is for ${template.channel}, the campaign is ${campaign.channel}`)]);

  let compiled: CompiledTemplate;
  try {
    compiled = compileTemplate(template);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return refused([templateProblem(error.problem)]);
  }
  const schema = CAMPAIGN_TEMPLATE_VARIABLES[campaign.channel];
  const unknown = unknownTemplateVariables(compiled, schema, "a campaign template");
  if (unknown.length > 0) return refused(unknown.map((found) => templateProblem(found)));

  const audience = await audienceCondition(db, campaign);
  if ("error" in audience) return refused([problem("audience", `the audience ${audience.error}`)]);
  const attributeKeys = [...new Set(compiled.variables.flatMap((use) => (use.path[0] === "contact" && use.path[1] === "attributes" && typeof use.path[2] === "string" ? [use.path[2]] : [])))];
  const sample = await sampleAudience(db, { audience, attributeKeys });

  if (sample.length === 0) {
    const error = await renderOrProblem(compiled, exampleVariables(schema));
    return error ? refused([templateProblem(error.problem)]) : { ok: true, sampled: 0 };
  }
  const problems = new Map<string, PreflightProblem>();
  for (const contact of sample) {
    const error = await renderOrProblem(compiled, campaignMessageVariables(campaign.channel, { messageId: SAMPLE_MESSAGE_ID, contact }));
    // One problem per variable: the same missing field on five contacts is one thing to fix.
    if (error && !problems.has(error.message)) problems.set(error.message, sampleProblem(error, contact));
  }
  return problems.size > 0 ? refused([...problems.values()]) : { ok: true, sampled: sample.length };
}

/** A refused preflight as API field errors: `{ templateId: [...], audience: [...] }`. */
export function preflightFields(problems: readonly PreflightProblem[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const found of problems) (fields[found.field] ??= []).push(found.message);
  return fields;
}
