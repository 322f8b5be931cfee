import type { TemplateVariableSchema } from "@/lib/templates/template-variables";
import { preferencesUrl, type TrackingLinkOptions, unsubscribeUrl } from "./tracking-urls";

/** `preferences_url`, which every message of every channel offers its template (notifications and campaigns). */
export const PREFERENCES_VARIABLE = {
  preferences_url: {
    description:
      'This message\'s link to the recipient\'s preference center, where they choose which categories they receive on which channel: `<a href="{{ preferences_url }}">Manage your preferences</a>`.',
    example: "https://sendline.example/p/…",
  },
} as const satisfies TemplateVariableSchema;

/** The preference center link of one message, spread after the caller's data like the tracking variables. */
export function preferencesVariable(options: TrackingLinkOptions): Record<keyof typeof PREFERENCES_VARIABLE, string> {
  return { preferences_url: preferencesUrl(options) };
}

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
