import type { EmailMessage } from "./email-provider";

/** Headers that let webhooks and support staff map a sent email back to its message, whichever provider sent it. */
export const SENDLINE_HEADERS = {
  messageId: "X-Sendline-Message-Id",
  workspaceId: "X-Sendline-Workspace-Id",
  campaignId: "X-Sendline-Campaign-Id",
} as const;

/** The message's own headers plus Sendline's ids (which win over a caller's header of the same name). */
export function sendlineHeaders(message: EmailMessage): Record<string, string> {
  const headers: Record<string, string> = {
    ...message.headers,
    [SENDLINE_HEADERS.messageId]: message.messageId,
    [SENDLINE_HEADERS.workspaceId]: message.workspaceId,
  };
  if (message.campaignId) headers[SENDLINE_HEADERS.campaignId] = message.campaignId;
  return headers;
}
