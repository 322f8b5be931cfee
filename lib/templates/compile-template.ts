import type { Liquid, Template } from "liquidjs";
import type { Channel } from "@/core/messages/channels";
import { htmlToText } from "./html-to-text";
import { htmlLiquid, textLiquid } from "./liquid";
import { TemplateError, templateErrorFromLiquid, type TemplatePart } from "./template-error";

export type TemplateSource = { channel: Channel; subject?: string | null; body: string };

export type RenderedEmail = { channel: "email"; subject: string; html: string; text: string };
export type RenderedSms = { channel: "sms"; text: string };
/** Free text (a session message), or an approved template with its body variables rendered (`text` then shows them). */
export type RenderedWhatsApp = { channel: "whatsapp"; text: string; template?: { name: string; language: string; variables: string[] } };
/** A push notification's title and body, or an in-app message's heading (null when it has none) and body. */
export type RenderedPush = { channel: "push"; title: string; text: string };
export type RenderedInApp = { channel: "in_app"; title: string | null; text: string };
export type Rendered = RenderedEmail | RenderedSms | RenderedWhatsApp | RenderedPush | RenderedInApp;

/**
 * A variable the template reads from its data (not one it assigns itself), as written:
 * `contact.attributes.company` has the path ["contact", "attributes", "company"]. A segment is
 * null where the template computes it (`contact[key]`).
 */
export type TemplateVariableUse = { part: TemplatePart; line: number; path: (string | number | null)[]; text: string };

export type CompiledTemplate = {
  render(variables: Record<string, unknown>): Promise<Rendered>;
  /** Every variable the template reads, in reading order, found without rendering (branches not taken included). */
  readonly variables: readonly TemplateVariableUse[];
};

function parse(engine: Liquid, source: string, part: TemplatePart): Template[] {
  try {
    return engine.parse(source);
  } catch (error) {
    throw templateErrorFromLiquid(error, part);
  }
}

async function render(engine: Liquid, templates: Template[], variables: Record<string, unknown>, part: TemplatePart): Promise<string> {
  try {
    return String(await engine.render(templates, variables));
  } catch (error) {
    throw templateErrorFromLiquid(error, part);
  }
}

function variablesOf(engine: Liquid, templates: Template[], part: TemplatePart): TemplateVariableUse[] {
  const { globals } = engine.analyzeSync(templates, { partials: false });
  return Object.values(globals)
    .flat()
    .sort((a, b) => a.location.row - b.location.row || a.location.col - b.location.col)
    .map((use) => ({
      part,
      line: use.location.row,
      path: use.segments.map((segment) => (typeof segment === "object" ? null : segment)),
      text: String(use),
    }));
}

/**
 * Parses once, renders many (a campaign chunk renders one template for a thousand people).
 * Throws TemplateError for bad syntax or unknown filters here, and for unknown variables or
 * exceeded limits at render time.
 */
export function compileTemplate(source: TemplateSource): CompiledTemplate {
  const htmlBody = source.channel === "email";
  const body = parse(htmlBody ? htmlLiquid : textLiquid, source.body, "body");
  const bodyVariables = variablesOf(htmlBody ? htmlLiquid : textLiquid, body, "body");
  const { channel } = source;
  if (channel === "sms" || channel === "whatsapp") {
    return {
      variables: bodyVariables,
      render: async (variables) => ({ channel, text: await render(textLiquid, body, variables, "body") }),
    };
  }
  if (!source.subject) {
    if (channel === "in_app") {
      return { variables: bodyVariables, render: async (variables) => ({ channel, title: null, text: await render(textLiquid, body, variables, "body") }) };
    }
    throw new TemplateError({ part: "subject", line: null, kind: "syntax", variable: null, message: channel === "push" ? "a push template needs a title (its subject)" : "an email template needs a subject" });
  }
  const subject = parse(textLiquid, source.subject, "subject");
  const subjectVariables = variablesOf(textLiquid, subject, "subject");
  const renderSubject = async (variables: Record<string, unknown>) => (await render(textLiquid, subject, variables, "subject")).replace(/\s+/g, " ").trim();
  if (channel === "push" || channel === "in_app") {
    return {
      variables: [...subjectVariables, ...bodyVariables],
      render: async (variables) => ({ channel, title: await renderSubject(variables), text: await render(textLiquid, body, variables, "body") }),
    };
  }
  return {
    variables: [...subjectVariables, ...bodyVariables],
    async render(variables) {
      const renderedSubject = await renderSubject(variables);
      const html = await render(htmlLiquid, body, variables, "body");
      return { channel: "email", subject: renderedSubject, html, text: htmlToText(html) };
    },
  };
}
