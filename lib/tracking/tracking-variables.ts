import type { TemplateVariableSchema } from "@/lib/templates/template-variables";
import { type TrackingLinkOptions, unsubscribeUrl } from "./tracking-urls";

/** The variables trackingVariables() provides, described for preflight and the docs. */
export const TRACKING_VARIABLES = {
  unsubscribe_url: {
    description:
      'This message\'s unsubscribe link: `<a href="{{ unsubscribe_url }}">Unsubscribe</a>`. A template that uses it gets no automatic unsubscribe footer.',
    example: "https://sendline.example/u/…",
  },
} as const satisfies TemplateVariableSchema;

/**
 * Template variables a tracked email offers, so a template can place its own link:
 * `<a href="{{ unsubscribe_url }}">Unsubscribe</a>`. Spread them after the caller's data,
 * so a stray `unsubscribe_url` in the data can never replace the real link:
 * `templateVariables({ ...message.request.data, ...trackingVariables({ messageId }) }, contact)`.
 */
export function trackingVariables(options: TrackingLinkOptions): Record<keyof typeof TRACKING_VARIABLES, string> {
  return { unsubscribe_url: unsubscribeUrl(options) };
}

/** Whether a template places the unsubscribe link itself (then no footer is added). */
export function templateHasUnsubscribeLink(template: { variables: readonly { part: string; path: readonly unknown[] }[] }): boolean {
  return template.variables.some((use) => use.part === "body" && use.path[0] === "unsubscribe_url");
}
