import { CONTACT_VARIABLE, type TemplateContact, type TemplateVariableSchema, templateVariables } from "@/lib/templates/template-variables";
import { PREFERENCES_VARIABLE, preferencesVariable, TRACKING_VARIABLES, trackingVariables } from "@/lib/tracking/tracking-variables";
import type { CampaignChannel } from "@/core/messages/channels";

/**
 * Everything a campaign message's template can read, per channel: the recipient as `contact`,
 * `preferences_url` on every channel, and for email the tracking variables (`unsubscribe_url`). Sending renders with
 * campaignMessageVariables, preflight checks templates against this schema, and the README
 * lists it — one definition, so the three cannot drift apart.
 */
export const CAMPAIGN_TEMPLATE_VARIABLES = {
  email: { contact: CONTACT_VARIABLE, ...TRACKING_VARIABLES, ...PREFERENCES_VARIABLE },
  sms: { contact: CONTACT_VARIABLE, ...PREFERENCES_VARIABLE },
} as const satisfies Record<CampaignChannel, TemplateVariableSchema>;

/** The variables one campaign message renders with. */
export function campaignMessageVariables(
  channel: CampaignChannel,
  params: { messageId: string; baseUrl?: string; contact: TemplateContact },
): Record<string, unknown> {
  const tracking = channel === "email" ? trackingVariables({ messageId: params.messageId, baseUrl: params.baseUrl }) : {};
  return templateVariables({ ...tracking, ...preferencesVariable({ messageId: params.messageId, baseUrl: params.baseUrl }) }, params.contact);
}
