import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readMboxPage } from "@/lib/mailbox/read-mbox-page";
import { eml, mbox } from "@/test/fixtures/mailbox/mail-fixtures";

const stream = (text: string | Buffer, offset = 0, chunkBytes = 7) => {
  const bytes = (typeof text === "string" ? Buffer.from(text, "latin1") : text).subarray(offset);
  // Small chunks so separators and lines straddle chunk boundaries.
  return Readable.from((function* () {
    for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
  })());
};
const message = (n: number, body = `body ${n}\n`) => ({ headers: { From: `p${n}@x.com`, Subject: `s${n}` }, body });

describe("readMboxPage", () => {
  it("splits an mbox into pages by byte offset, each page ending where the next begins", async () => {
    const file = mbox(Array.from({ length: 5 }, (_, n) => message(n)));
    const first = await readMboxPage(stream(file), { offset: 0, maxMessages: 2 });
    expect(first.messages.map((m) => m.raw.toString())).toEqual([0, 1].map((n) => `From: p${n}@x.com\nSubject: s${n}\n\nbody ${n}\n\n`));
    const second = await readMboxPage(stream(file, first.nextOffset!), { offset: first.nextOffset!, maxMessages: 2 });
    const third = await readMboxPage(stream(file, second.nextOffset!), { offset: second.nextOffset!, maxMessages: 2 });
    expect(second.messages).toHaveLength(2);
    expect(third.messages.map((m) => m.raw.toString())).toEqual(["From: p4@x.com\nSubject: s4\n\nbody 4\n\n"]);
    expect(third.nextOffset).toBeNull();
    expect(second.messages[0]!.offset).toBe(first.nextOffset);
    expect(file.slice(second.messages[0]!.offset, second.messages[0]!.offset + 5)).toBe("From ");
  });

  it("unquotes >From lines and does not split on an unquoted 'From ' inside a paragraph", async () => {
    const file = `From a@b Wed Dec 04 10:00:00 +0000 2024\nSubject: one\n\n>From the start\n>>From deeper\nline\nFrom here on, no split\n\nFrom b@c Thu Dec 05 10:00:00 +0000 2024\nSubject: two\n\nx\n`;
    const page = await readMboxPage(stream(file), { offset: 0, maxMessages: 10 });
    expect(page.messages.map((m) => m.raw.toString())).toEqual(["Subject: one\n\nFrom the start\n>From deeper\nline\nFrom here on, no split\n\n", "Subject: two\n\nx\n"]);
  });

  it("reads a file that is not an mbox as one .eml message", async () => {
    const text = eml(message(1, "From me to you\n"));
    const page = await readMboxPage(stream(text), { offset: 0, maxMessages: 10 });
    expect(page.messages.map((m) => m.raw.toString())).toEqual([text]);
    expect(page.nextOffset).toBeNull();
  });

  it("keeps only the first bytes of a huge message but still finds the next one", async () => {
    const attachment = `${"A".repeat(75)}\n`.repeat(20_000);
    const file = mbox([message(1, `hello\n${attachment}`), message(2)]);
    const page = await readMboxPage(stream(file, 0, 64 * 1024), { offset: 0, maxMessages: 10, maxMessageBytes: 4096 });
    expect(page.messages.map((m) => [m.raw.length, m.truncated])).toEqual([
      [4096, true],
      [expect.any(Number), false],
    ]);
    expect(page.messages[0]!.bytes).toBeGreaterThan(1_500_000);
    expect(page.messages[1]!.raw.toString()).toContain("Subject: s2");
  });

  it("passes a line with no newline in pieces instead of holding it whole", async () => {
    const file = mbox([message(1, `${"B".repeat(300_000)}`), message(2)]);
    const page = await readMboxPage(stream(file, 0, 16 * 1024), { offset: 0, maxMessages: 10, maxMessageBytes: 1000 });
    expect(page.messages).toHaveLength(2);
  });
});
