import type { TemplateContact } from "@/lib/templates/template-variables";
import type { CompiledTemplate } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import { instrumentEmail } from "@/lib/tracking/instrument-email";
import { templateHasUnsubscribeLink } from "@/lib/tracking/tracking-variables";
import { campaignMessageVariables } from "./campaign-template-variables";

export type RenderedCampaignEmail = { subject: string; html: string; text: string; headers: Record<string, string> };

/**
 * One campaign email as it goes to the provider: the template rendered for the recipient, then
 * tracked (open pixel, click links, unsubscribe link and headers). Throws TemplateError when the
 * template does not render for this recipient. deliverChunk sends with it, and the campaign
 * benchmark's bare loop renders with it, so the two measure the same work.
 */
export async function renderCampaignEmail(
  compiled: CompiledTemplate,
  params: { messageId: string; baseUrl: string; contact: TemplateContact },
): Promise<RenderedCampaignEmail> {
  const email = await compiled.render(campaignMessageVariables("email", params));
  if (email.channel !== "email") throw new TemplateError({ part: "body", line: null, kind: "other", variable: null, message: "the campaign's template is not an email template" });
  return {
    subject: email.subject,
    ...instrumentEmail({ html: email.html, text: email.text, messageId: params.messageId, baseUrl: params.baseUrl, templateHasUnsubscribeLink: templateHasUnsubscribeLink(compiled) }),
  };
}
