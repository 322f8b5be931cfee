import { describe, expect, it } from "vitest";
import { signatureBlock, signatureFacts } from "@/core/mailbox/signature";
import { snippetOf } from "@/core/mailbox/snippet";

describe("signatureBlock", () => {
  it("takes the lines after the '-- ' delimiter", () => {
    expect(signatureBlock("Hi\n-- \nBob Stone\nCTO\n")).toEqual(["Bob Stone", "CTO"]);
  });
  it("takes the lines after the last sign-off, before quoted text", () => {
    expect(signatureBlock("Thanks for that.\nBest regards,\nAnn Lee\nAcme Corp\n\nOn Tue, Bob wrote:\n> Best,\n> Bob\n")).toEqual(["Ann Lee", "Acme Corp"]);
  });
  it("finds nothing without a delimiter or sign-off", () => expect(signatureBlock("Call me at +1 415 555 0132 tomorrow.\n")).toBeNull());
  it("ignores a signature inside the quoted text", () => expect(signatureBlock("ok\n\n> -- \n> Bob\n")).toBeNull());
});

describe("signatureFacts", () => {
  it.each([
    [["Ann Lee", "Head of Sales", "Acme Corp", "+1 415 555 0132"], { phone: "+14155550132", title: "Head of Sales", company: "Acme Corp" }],
    [["Bob Stone", "Chief Technology Officer at Stone Labs Ltd", "Tel: +44 20 7946 0958"], { phone: "+442079460958", title: "Chief Technology Officer", company: "Stone Labs Ltd" }],
    [["Cleo", "Designer | Pixel GmbH"], { phone: null, title: "Designer", company: "Pixel GmbH" }],
    [["Dan", "Northwind Inc."], { phone: null, title: null, company: "Northwind Inc." }],
    [["Eve", "www.eve.example", "eve@eve.example"], { phone: null, title: null, company: null }],
  ])("%o → %o", (lines, expected) => expect(signatureFacts(lines, { senderName: lines[0] })).toEqual(expected));

  it("reads a national number in the workspace's region", () => {
    expect(signatureFacts(["Tel. 030 901820"], { defaultRegion: "DE" }).phone).toBe("+4930901820");
  });
});

describe("snippetOf", () => {
  it("collapses whitespace and cuts at 200 characters", () => {
    expect(snippetOf("  a\n\n b\tc ")).toBe("a b c");
    expect(snippetOf("é".repeat(300))).toHaveLength(200);
    expect(snippetOf(" \n ")).toBeNull();
  });
});
