import type { MessageRequest } from "@/db/schema";
import { templateText } from "@/core/messages/whatsapp";
import { compileTemplate, type RenderedWhatsApp } from "@/lib/templates/compile-template";

type TemplateRequest = NonNullable<MessageRequest["whatsapp"]>["template"];

/**
 * A WhatsApp template message, rendered: each body variable is Liquid like a message body, so
 * it sees the notification's data and contact. Throws TemplateError, at request time (syntax)
 * and at send time (an unknown variable), like any template.
 */
export async function renderWhatsAppTemplate(template: TemplateRequest, variables: Record<string, unknown>): Promise<RenderedWhatsApp> {
  const rendered: string[] = [];
  for (const source of template.variables) {
    rendered.push((await compileTemplate({ channel: "whatsapp", body: source }).render(variables)).text);
  }
  return { channel: "whatsapp", text: templateText(template.name, template.language, rendered), template: { name: template.name, language: template.language, variables: rendered } };
}

/** Checks each variable's Liquid syntax (TemplateError), so a typo is a 400 rather than a failed message. */
export function checkWhatsAppTemplate(template: TemplateRequest): void {
  for (const source of template.variables) compileTemplate({ channel: "whatsapp", body: source });
}
