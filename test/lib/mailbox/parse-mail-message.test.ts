import { describe, expect, it } from "vitest";
import { parseMailMessage } from "@/lib/mailbox/parse-mail-message";
import { eml, type FixtureMessage, fixtures } from "@/test/fixtures/mailbox/mail-fixtures";

const parse = (message: FixtureMessage | string) => parseMailMessage({ ref: "byte 0", raw: Buffer.from(typeof message === "string" ? message : eml(message), "latin1") });
const ok = async (message: FixtureMessage | string) => {
  const result = await parse(message);
  if (!result.ok) throw new Error(result.reason);
  return result.message;
};

describe("parseMailMessage", () => {
  it("decodes encoded-word display names and subjects (UTF-8 base64, ISO-8859-1 quoted-printable)", async () => {
    const message = await ok(fixtures.encodedWords);
    expect(message.from).toEqual({ name: "Jürgen Müller", address: "juergen@example.de" });
    expect(message.cc).toEqual([{ name: "André Garçon", address: "andre@example.fr" }]);
    expect(message.subject).toBe("Grüße");
    expect(message.messageId).toBe("encoded-1@example.de");
  });

  it("reads a body in an unknown charset without failing", async () => {
    const message = await ok(fixtures.brokenCharset);
    expect(message.snippet).toMatch(/^caf.+ text$/);
  });

  it("reads what it can of a multipart whose boundary never closes", async () => {
    const message = await ok(fixtures.malformedBoundary);
    expect(message.from?.address).toBe("malformed@example.com");
    expect(message.subject).toBe("Malformed");
  });

  it("caps a 10,000-recipient Cc at 100 addresses and counts the rest", async () => {
    const message = await ok(fixtures.ccBomb);
    expect(message.to.length + message.cc.length).toBe(100);
    expect(message.recipientsDropped).toBe(10_001 - 100);
  });

  it.each([
    ["newsletter", fixtures.newsletter, "list-unsubscribe"],
    ["no-reply notification", fixtures.noReply, "machine sender"],
    ["person", fixtures.threadStart, null],
  ])("marks a %s as automated: %s", async (_name, fixture, reason) => {
    expect((await ok(fixture)).automatedReason).toBe(reason);
  });

  it("puts replies on the thread of their References root", async () => {
    const ids = await Promise.all([fixtures.threadStart, fixtures.threadReply, fixtures.threadReply2].map(async (m) => (await ok(m)).threadId));
    expect(ids).toEqual(["thread-1@acme.example", "thread-1@acme.example", "thread-1@acme.example"]);
  });

  it("finds the signature and the Gmail labels", async () => {
    expect((await ok(fixtures.threadReply2)).signature).toEqual(["Ann Lee", "Head of Sales", "Acme Corp", "+1 415 555 0132"]);
    expect((await ok(fixtures.copyInOtherFolder)).labels).toEqual(["Archived", "Important"]);
  });

  it("derives a stable Message-ID when there is none", async () => {
    const headers = { From: "a@x.com", To: "b@x.com", Subject: "no id", Date: "Mon, 1 Jan 2024 10:00:00 +0000" };
    const [one, two] = await Promise.all([ok({ headers, body: "x" }), ok({ headers, body: "y" })]);
    expect(one.messageId).toMatch(/@sendline\.invalid$/);
    expect(two.messageId).toBe(one.messageId);
  });

  it.each([
    ["an empty message", "", "empty message"],
    ["a message naming nobody", "Subject: hi\r\n\r\nbody", "no sender or recipients"],
  ])("skips %s with a reason", async (_name, raw, reason) => {
    expect(await parse(raw)).toEqual({ ok: false, ref: "byte 0", reason });
  });
});
