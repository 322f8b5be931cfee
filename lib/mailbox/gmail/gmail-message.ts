import { MAILBOX_MESSAGE_MAX_BYTES } from "@/core/mailbox/mailbox-limits";
import type { IncomingMail } from "../parse-mail-message";
import type { GmailApi } from "./gmail-client";

/**
 * Labels whose messages are not correspondence: a draft was never sent, spam was never wanted.
 * (messages.list leaves spam out by itself; history records and drafts need this.)
 */
export const GMAIL_IGNORED_LABELS = new Set(["DRAFT", "SPAM"]);
/**
 * The JSON around a raw message (ids, labels, the base64url text): base64 makes 4 bytes of 3,
 * and a little is for the other fields. A response past this is a message past the cap.
 */
const RAW_RESPONSE_MAX_BYTES = Math.ceil((MAILBOX_MESSAGE_MAX_BYTES * 4) / 3) + 64 * 1024;

/**
 * A library call made through the source's session: one refresh on a 401, failures classified
 * (gmailFailure); null when Google answers 404 (a message deleted since it was listed, a history
 * id too old).
 */
export type GmailCall = <T>(what: string, fn: () => Promise<T>) => Promise<T | null>;

type RawMessage = { id?: string | null; labelIds?: string[] | null; raw?: string | null; sizeEstimate?: number | null };

/**
 * One message as the pipeline takes it: its raw RFC 5322 bytes and its Gmail labels, or null
 * when it is gone (deleted since it was listed) or a draft or spam. The raw response is read as
 * a stream and given up past the cap, so a 30 MB message never sits in memory; for such a
 * message the headers alone (`format=metadata`) stand in for it, which is all the contact
 * extraction needs from a message that large.
 */
export async function readGmailMessage(api: GmailApi, id: string, call: GmailCall): Promise<IncomingMail | null> {
  const ref = `gmail ${id}`;
  const response = await call("messages.get", () => api.users.messages.get({ userId: "me", id, format: "raw" }, { responseType: "stream" }));
  if (response === null) return null;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response.data as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    // Leaving the loop cancels the stream: the rest of the body is never read.
    if (bytes > RAW_RESPONSE_MAX_BYTES) break;
    chunks.push(Buffer.from(chunk));
  }
  if (bytes <= RAW_RESPONSE_MAX_BYTES) {
    const message = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RawMessage;
    if ((message.labelIds ?? []).some((label) => GMAIL_IGNORED_LABELS.has(label))) return null;
    const raw = Buffer.from(message.raw ?? "", "base64url");
    if (raw.length <= MAILBOX_MESSAGE_MAX_BYTES) return { ref, raw, labels: message.labelIds ?? [] };
  }
  const metadata = await call("messages.get", () => api.users.messages.get({ userId: "me", id, format: "metadata" }));
  if (metadata === null) return null;
  const labels = metadata.data.labelIds ?? [];
  if (labels.some((label) => GMAIL_IGNORED_LABELS.has(label))) return null;
  return { ref, raw: headersOnlyRaw(metadata.data.payload?.headers ?? []), labels };
}

/** A message of its header fields alone (an empty body), from `format=metadata`'s list. */
export function headersOnlyRaw(headers: readonly { name?: string | null; value?: string | null }[]): Buffer {
  const lines = headers.filter((h) => h.name && /^[\x21-\x39\x3b-\x7e]+$/.test(h.name)).map((h) => `${h.name}: ${(h.value ?? "").replace(/\r?\n/g, " ")}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "utf8");
}
