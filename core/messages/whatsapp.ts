import { z } from "zod";

/**
 * Meta lets a business send free text (a "session message") only within 24 hours of the
 * customer's last message to it; outside that customer-service window only an approved
 * template may open the conversation.
 */
export const WHATSAPP_SESSION_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The refusal a session message gets outside the window: what to do instead, in the user's terms. */
export const OUTSIDE_SESSION_WINDOW = "outside the 24-hour window: send a template message";
export const NO_WHATSAPP_OPT_IN = "the contact has not opted in to WhatsApp messages (record it with PUT /api/v1/contacts/{id}/whatsapp-opt-in)";
export const NO_WHATSAPP_CONTACT = "WhatsApp messages go to contacts who opted in: no contact has this number";

/** Meta's own limits: template names are lower-case letters, digits and underscores; a body parameter holds 1,024 characters. */
export const WHATSAPP_TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
/** Language codes as Meta lists them: `en`, `en_US`, `pt_BR`, `zh_CN`. */
export const WHATSAPP_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
/** Twilio names a WhatsApp template by its Content SID rather than by Meta's name. */
export const TWILIO_CONTENT_SID = /^HX[0-9a-f]{32}$/;
export const WHATSAPP_TEMPLATE_VARIABLES_MAX = 100;
export const WHATSAPP_TEMPLATE_VARIABLE_MAX_CHARS = 1_024;

/**
 * A template approved at Meta, named as it was approved, with its body's `{{1}}`, `{{2}}`, …
 * in order. Each variable is Liquid, rendered with the notification's data and contact like a
 * body, so `"{{ contact.first_name }}"` works as well as a literal.
 */
export const whatsappTemplateSchema = z.strictObject({
  name: z
    .string()
    .refine((name) => WHATSAPP_TEMPLATE_NAME.test(name) || TWILIO_CONTENT_SID.test(name), "must be the template's name as approved at Meta (lower-case letters, digits and underscores) or a Twilio Content SID (HX…)")
    .meta({
    description: "The template's name as approved in WhatsApp Manager (or, for Twilio, its Content SID `HX…`)",
  }),
  language: z.string().regex(WHATSAPP_LANGUAGE, "must be a language code as Meta lists it, e.g. en or en_US").meta({ description: "The approved translation's language code, e.g. `en_US`" }),
  variables: z
    .array(z.string().max(WHATSAPP_TEMPLATE_VARIABLE_MAX_CHARS))
    .max(WHATSAPP_TEMPLATE_VARIABLES_MAX)
    .default([])
    .meta({ description: "The body's parameters `{{1}}`, `{{2}}`, … in order, each Liquid rendered with `data` and `contact`" }),
});

export type WhatsAppTemplate = z.infer<typeof whatsappTemplateSchema>;

/** Whether a session message sent at `now` falls in the window a message received at `lastInboundAt` opened. */
export function insideSessionWindow(lastInboundAt: Date | null | undefined, now: Date): boolean {
  return Boolean(lastInboundAt) && now.getTime() - lastInboundAt!.getTime() < WHATSAPP_SESSION_WINDOW_MS;
}

/** What the outbox and the dashboard show for a template message, whose real text lives at Meta. */
export function templateText(name: string, language: string, variables: string[]): string {
  const list = variables.map((value, index) => `{{${index + 1}}} = ${value}`).join("\n");
  return `[template ${name} (${language})]${list ? `\n${list}` : ""}`;
}
