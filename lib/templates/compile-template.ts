import type { Template } from "liquidjs";
import { htmlToText } from "./html-to-text";
import { htmlLiquid, textLiquid } from "./liquid";
import { TemplateError } from "./template-error";

export type TemplateSource = { channel: "email" | "sms"; subject?: string | null; body: string };

export type RenderedEmail = { channel: "email"; subject: string; html: string; text: string };
export type RenderedSms = { channel: "sms"; text: string };
export type Rendered = RenderedEmail | RenderedSms;

export type CompiledTemplate = { render(variables: Record<string, unknown>): Promise<Rendered> };

function parse(source: string, html: boolean, part: "subject" | "body"): Template[] {
  try {
    return (html ? htmlLiquid : textLiquid).parse(source);
  } catch (error) {
    throw new TemplateError((error as Error).message, part);
  }
}

async function render(templates: Template[], variables: Record<string, unknown>, html: boolean, part: "subject" | "body"): Promise<string> {
  try {
    return String(await (html ? htmlLiquid : textLiquid).render(templates, variables));
  } catch (error) {
    throw new TemplateError((error as Error).message, part);
  }
}

/**
 * Parses once, renders many (a campaign chunk renders one template for a thousand people).
 * Throws TemplateError for bad syntax here and for unknown variables or exceeded limits at
 * render time.
 */
export function compileTemplate(source: TemplateSource): CompiledTemplate {
  const body = parse(source.body, source.channel === "email", "body");
  if (source.channel === "sms") {
    return { render: async (variables) => ({ channel: "sms", text: await render(body, variables, false, "body") }) };
  }
  if (!source.subject) throw new TemplateError("an email needs a subject", "subject");
  const subject = parse(source.subject, false, "subject");
  return {
    async render(variables) {
      const html = await render(body, variables, true, "body");
      const renderedSubject = (await render(subject, variables, false, "subject")).replace(/\s+/g, " ").trim();
      return { channel: "email", subject: renderedSubject, html, text: htmlToText(html) };
    },
  };
}
