import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isValidInboxToken, mintInboxToken, newInboxSecret } from "@/lib/inbox/inbox-token";

const secret = "inbox_sk_test-secret";
const contactId = "0193a5c0-1111-7000-8000-000000000001";

describe("inbox tokens", () => {
  it("are hex(hmac_sha256(secret, contactId)), as any backend mints them", () => {
    expect(mintInboxToken(secret, contactId)).toBe(createHmac("sha256", secret).update(contactId).digest("hex"));
  });

  it.each([
    ["its own token", mintInboxToken(secret, contactId), true],
    ["its token in upper case", mintInboxToken(secret, contactId).toUpperCase(), true],
    ["another contact's token", mintInboxToken(secret, "0193a5c0-1111-7000-8000-000000000002"), false],
    ["a token from another secret", mintInboxToken("inbox_sk_other", contactId), false],
    ["a truncated token", mintInboxToken(secret, contactId).slice(0, 63), false],
    ["not hex", "z".repeat(64), false],
    ["empty", "", false],
  ])("%s → %s", (_, token, valid) => {
    expect(isValidInboxToken(secret, contactId, token)).toBe(valid);
  });

  it("makes a fresh, recognisable secret each time", () => {
    const [a, b] = [newInboxSecret(), newInboxSecret()];
    expect(a).toMatch(/^inbox_sk_[\w-]{43}$/);
    expect(a).not.toBe(b);
  });
});
