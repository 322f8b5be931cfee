import { CONTACT_VARIABLE, type TemplateContact, type TemplateVariableSchema, templateVariables } from "@/lib/templates/template-variables";
import { TRACKING_VARIABLES, trackingVariables } from "@/lib/tracking/tracking-variables";

/**
 * Everything a campaign message's template can read, per channel: the recipient as `contact`,
 * and for email the tracking variables (`unsubscribe_url`). Sending renders with
 * campaignMessageVariables, preflight checks templates against this schema, and the README
 * lists it — one definition, so the three cannot drift apart.
 */
export const CAMPAIGN_TEMPLATE_VARIABLES = {
  email: { contact: CONTACT_VARIABLE, ...TRACKING_VARIABLES },
  sms: { contact: CONTACT_VARIABLE },
} as const satisfies Record<"email" | "sms", TemplateVariableSchema>;

/** The variables one campaign message renders with. */
export function campaignMessageVariables(
  channel: "email" | "sms",
  params: { messageId: string; baseUrl?: string; contact: TemplateContact },
): Record<string, unknown> {
  const tracking = channel === "email" ? trackingVariables({ messageId: params.messageId, baseUrl: params.baseUrl }) : {};
  return templateVariables(tracking, params.contact);
}
