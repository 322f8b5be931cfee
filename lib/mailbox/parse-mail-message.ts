import { createHash } from "node:crypto";
import { type AddressObject, type EmailAddress, simpleParser } from "mailparser";
import { automatedReason } from "@/core/mailbox/automated-mail";
import { MAILBOX_BODY_MAX_CHARS, MAILBOX_MAX_RECIPIENTS_PER_MESSAGE } from "@/core/mailbox/mailbox-limits";
import type { MailboxAddress } from "@/core/mailbox/mailbox-types";
import { messageIdList, normaliseMessageId, threadRoot } from "@/core/mailbox/message-id";
import { signatureBlock } from "@/core/mailbox/signature";
import { snippetOf } from "@/core/mailbox/snippet";
import { storableText } from "@/core/text/storable-text";

/**
 * One message as a source hands it over: its raw RFC 5322 bytes (capped by the source), where it
 * was found (`ref`: "byte 1234" of an mbox, "INBOX uid 42", a Gmail message id — for skip
 * reasons), and the labels or folder the source itself knows it by.
 */
export type IncomingMail = { ref: string; raw: Buffer; labels?: readonly string[] };

/** What the CRM keeps of one message, before direction (which depends on the connection's owner). */
export type ParsedMailMessage = {
  ref: string;
  messageId: string;
  threadId: string;
  from: MailboxAddress | null;
  to: MailboxAddress[];
  cc: MailboxAddress[];
  replyTo: MailboxAddress[];
  sentAt: string | null;
  subject: string | null;
  snippet: string | null;
  /** The text body, capped; stored only when the connection stores bodies. */
  body: string | null;
  labels: string[];
  automatedReason: string | null;
  /** Addresses past MAILBOX_MAX_RECIPIENTS_PER_MESSAGE, not looked at. */
  recipientsDropped: number;
  /** The sender's signature lines, if the text has one. */
  signature: string[] | null;
};

export type ParseResult = { ok: true; message: ParsedMailMessage } | { ok: false; ref: string; reason: string };

/**
 * Parses one raw message with mailparser (RFC 5322 and MIME, encoded words, charsets decoded
 * through iconv, broken ones replaced rather than thrown). Never throws: a message that cannot
 * be read is a skip with a reason, so one bad message never fails its page.
 */
export async function parseMailMessage(raw: IncomingMail): Promise<ParseResult> {
  const skip = (reason: string): ParseResult => ({ ok: false, ref: raw.ref, reason });
  if (raw.raw.length === 0 || raw.raw.toString("latin1").trim() === "") return skip("empty message");
  let mail;
  try {
    // Only the text part is needed: no HTML conversions, no link detection.
    mail = await simpleParser(raw.raw, { skipHtmlToText: false, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  } catch (error) {
    return skip(`unreadable MIME: ${error instanceof Error ? error.message.slice(0, 200) : "unknown error"}`);
  }
  const headers = new Map<string, string>();
  for (const { key, line } of mail.headerLines) {
    if (!headers.has(key)) headers.set(key, line.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim());
  }
  const from = addresses(mail.from)[0] ?? null;
  const budget = { left: MAILBOX_MAX_RECIPIENTS_PER_MESSAGE, dropped: 0 };
  const to = capped(addresses(mail.to), budget);
  const cc = capped(addresses(mail.cc), budget);
  const replyTo = capped(addresses(mail.replyTo), budget);
  if (!from && to.length === 0 && cc.length === 0) return skip("no sender or recipients");

  const sentAt = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null;
  const subject = text(mail.subject ?? null, 998);
  const messageId = normaliseMessageId(mail.messageId) ?? syntheticMessageId(from, to, sentAt, subject);
  const references = messageIdList(mail.references);
  const inReplyTo = messageIdList(mail.inReplyTo);
  const body = mail.text ? text(mail.text, MAILBOX_BODY_MAX_CHARS) : null;
  return {
    ok: true,
    message: {
      ref: raw.ref,
      messageId,
      threadId: threadRoot(references, inReplyTo, messageId),
      from,
      to,
      cc,
      replyTo,
      sentAt,
      subject,
      snippet: snippetOf(body),
      body,
      labels: [...new Set([...(raw.labels ?? []), ...labelsOf(headers)])].slice(0, 50),
      automatedReason: automatedReason(headers, from?.address ?? null),
      recipientsDropped: budget.dropped,
      signature: signatureBlock(body),
    },
  };
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailboxAddress[] {
  if (!value) return [];
  const out: MailboxAddress[] = [];
  const visit = (entry: EmailAddress) => {
    if (entry.group) entry.group.forEach(visit);
    else if (entry.address && entry.address.includes("@")) {
      out.push({ name: text(entry.name || null, 200), address: storableText(entry.address).trim().toLowerCase().slice(0, 254) });
    }
  };
  for (const object of Array.isArray(value) ? value : [value]) object.value.forEach(visit);
  return out;
}

function capped(list: MailboxAddress[], budget: { left: number; dropped: number }): MailboxAddress[] {
  const kept = list.slice(0, Math.max(0, budget.left));
  budget.left -= kept.length;
  budget.dropped += list.length - kept.length;
  return kept;
}

// Google Takeout writes each message's labels into X-Gmail-Labels ("Inbox,Important,Opened").
function labelsOf(headers: ReadonlyMap<string, string>): string[] {
  const value = headers.get("x-gmail-labels") ?? headers.get("x-folder");
  if (!value) return [];
  return [...new Set(value.split(",").map((label) => label.trim()).filter((label) => label !== "" && label.length <= 200))].slice(0, 50);
}

function text(value: string | null, maxChars: number): string | null {
  if (value === null) return null;
  const cleaned = storableText(value);
  return cleaned === "" ? null : cleaned.slice(0, maxChars);
}

/**
 * A message without a Message-ID (drafts, some old mailers) gets one derived from what identifies
 * it, so the same message in two folders is still one row.
 */
function syntheticMessageId(from: MailboxAddress | null, to: MailboxAddress[], sentAt: string | null, subject: string | null): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([from?.address ?? null, to.map((address) => address.address), sentAt, subject]))
    .digest("hex")
    .slice(0, 32);
  return `${digest}@sendline.invalid`;
}
