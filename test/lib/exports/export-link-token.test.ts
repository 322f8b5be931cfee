import { describe, expect, it } from "vitest";
import { signExportLink, verifyExportLink } from "@/lib/exports/export-link-token";
import { signTrackingToken } from "@/lib/tracking/tracking-token";

const secret = { current: Buffer.from("a".repeat(32)), fallback: null };
const exportId = "0b7e3c52-64f1-4b8a-9a51-2f1a1c2d3e4f";
const expiresAt = new Date("2026-06-04T12:00:00Z");
const before = new Date("2026-06-04T11:59:59Z");

describe("export download links", () => {
  it("name the export and its expiry, and verify until then", () => {
    const token = signExportLink({ exportId, expiresAt }, secret);
    expect(verifyExportLink(token, before, secret)).toEqual({ ok: true, link: { exportId, expiresAt } });
  });

  it.each([
    ["at the expiry", expiresAt],
    ["after it", new Date("2027-01-01T00:00:00Z")],
  ])("are expired %s (the signature still checks, so the page can say why)", (_label, now) => {
    const token = signExportLink({ exportId, expiresAt }, secret);
    expect(verifyExportLink(token, now, secret)).toEqual({ ok: false, reason: "expired", link: { exportId, expiresAt } });
  });

  it("cannot be stretched: a later expiry breaks the signature", () => {
    const token = signExportLink({ exportId, expiresAt }, secret);
    const [payload, mac] = token.split(".");
    const bytes = Buffer.from(payload!, "base64url");
    bytes.writeUIntBE(Math.floor(Date.parse("2030-01-01T00:00:00Z") / 1000), 17, 6);
    expect(verifyExportLink(`${bytes.toString("base64url")}.${mac}`, before, secret)).toEqual({ ok: false, reason: "invalid" });
  });

  it.each([
    ["another key", (token: string) => token, { current: Buffer.from("b".repeat(32)), fallback: null }],
    ["a changed character", (token: string) => token.replace(/^./, (c) => (c === "A" ? "B" : "A")), secret],
    ["a cut-off signature", (token: string) => token.slice(0, -3), secret],
    ["no dot", (token: string) => token.replace(".", ""), secret],
    ["junk", () => "not-a-token", secret],
    ["a tracking token", () => signTrackingToken({ action: "o", messageId: exportId }, secret), secret],
  ])("are refused with %s", (_label, alter, key) => {
    const token = alter(signExportLink({ exportId, expiresAt }, secret));
    expect(verifyExportLink(token, before, key)).toEqual({ ok: false, reason: "invalid" });
  });

  it("still verify under the fallback key while the secret rotates", () => {
    const token = signExportLink({ exportId, expiresAt }, secret);
    expect(verifyExportLink(token, before, { current: Buffer.from("c".repeat(32)), fallback: secret.current }).ok).toBe(true);
  });
});
