import { CAMPAIGN_TEMPLATE_VARIABLES, campaignMessageVariables } from "@/lib/campaigns/campaign-template-variables";
import { CAMPAIGN_CHANNELS, type CampaignChannel } from "@/core/messages/channels";
import { birthdayColumns } from "@/core/contacts/birthday-columns";
import { countSegments } from "@/lib/providers/sms/count-segments";
import { unknownTemplateVariables } from "./check-template-variables";
import { compileTemplate, type TemplateSource } from "./compile-template";
import { TemplateError, type TemplateProblem } from "./template-error";
import type { TemplatePreview, TemplatePreviewRequest } from "./template-preview-request";
import { preferencesVariable } from "@/lib/tracking/tracking-variables";
import { CONTACT_VARIABLE, exampleVariables, type TemplateContact, templateVariables } from "./template-variables";

/** Stands in for a message id in the preview's unsubscribe link: no message exists. */
const PREVIEW_MESSAGE_ID = "00000000-0000-0000-0000-000000000000";

export type PreviewOutcome = { ok: true; preview: TemplatePreview } | { ok: false; problems: TemplateProblem[] };

/** A sample contact (template names) as a stored one; fields left out are null, as on a contact without them. */
export function contactFromSample(sample: NonNullable<TemplatePreviewRequest["contact"]>): TemplateContact {
  const example = CONTACT_VARIABLE.example as { id: string };
  return {
    id: sample.id ?? example.id,
    email: sample.email ?? null,
    phone: sample.phone ?? null,
    firstName: sample.first_name ?? null,
    lastName: sample.last_name ?? null,
    locale: sample.locale ?? null,
    timezone: sample.timezone ?? null,
    ...birthdayColumns(sample.birthday ?? null),
    attributes: sample.attributes ?? {},
  };
}

/**
 * Renders a stored template as one message would be, with the same strict rules: for a campaign
 * message, the template may read only CAMPAIGN_TEMPLATE_VARIABLES (checked without rendering, as
 * preflight does) and is rendered for `contact`, or the schema's example contact; for a
 * notification, `data` at the top level and `contact` when given.
 */
export async function previewTemplate(source: TemplateSource, request: TemplatePreviewRequest, contact: TemplateContact | undefined): Promise<PreviewOutcome> {
  const campaignChannel = (CAMPAIGN_CHANNELS as readonly string[]).includes(source.channel) ? (source.channel as CampaignChannel) : null;
  // Only email and SMS templates can be a campaign's; the other channels' preview a notification.
  const as = request.as ?? (request.data || !campaignChannel ? "notification" : "campaign");
  try {
    const template = compileTemplate(source);
    let variables: Record<string, unknown>;
    if (as === "campaign") {
      if (!campaignChannel) {
        return { ok: false, problems: [{ part: "body", line: null, kind: "syntax", variable: null, message: `campaigns send email and SMS; a ${source.channel} template previews as a notification` }] };
      }
      const schema = CAMPAIGN_TEMPLATE_VARIABLES[campaignChannel];
      const unknown = unknownTemplateVariables(template, schema, "a campaign template");
      if (unknown.length > 0) return { ok: false, problems: unknown };
      variables = contact ? campaignMessageVariables(campaignChannel, { messageId: PREVIEW_MESSAGE_ID, contact }) : exampleVariables(schema);
    } else {
      variables = templateVariables({ ...request.data, ...preferencesVariable({ messageId: PREVIEW_MESSAGE_ID }) }, contact);
    }
    const rendered = await template.render(variables);
    if (rendered.channel === "email" || rendered.channel === "push" || rendered.channel === "in_app" || rendered.channel === "whatsapp") {
      return { ok: true, preview: { ...rendered, as } };
    }
    const { segments, encoding } = countSegments(rendered.text);
    return { ok: true, preview: { channel: "sms", as, text: rendered.text, segments, encoding } };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, problems: [error.problem] };
    throw error;
  }
}
