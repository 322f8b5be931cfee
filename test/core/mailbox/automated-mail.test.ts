import { describe, expect, it } from "vitest";
import { automatedReason, isMachineSender } from "@/core/mailbox/automated-mail";

const headers = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("automatedReason", () => {
  it.each([
    [{ "list-unsubscribe": "<mailto:u@x>" }, "ann@x.com", "list-unsubscribe"],
    [{ "list-id": "<list.x.com>" }, "ann@x.com", "list-id"],
    [{ precedence: "bulk" }, "ann@x.com", "precedence: bulk"],
    [{ precedence: "List" }, "ann@x.com", "precedence: list"],
    [{ precedence: "junk" }, "ann@x.com", "precedence: junk"],
    [{ "auto-submitted": "auto-replied" }, "ann@x.com", "auto-submitted: auto-replied"],
    [{ "x-auto-response-suppress": "All" }, "ann@x.com", "x-auto-response-suppress"],
    [{}, "no-reply@x.com", "machine sender"],
    [{}, "mailer-daemon@x.com", "machine sender"],
  ])("%o from %s is automated: %s", (entries, from, reason) => {
    expect(automatedReason(headers(entries), from)).toBe(reason);
  });

  it.each([
    [{ "auto-submitted": "no" }, "ann@x.com"],
    [{ precedence: "first-class" }, "ann@x.com"],
    [{}, "noreen@x.com"],
    [{}, null],
  ])("%o from %s is a person's mail", (entries, from) => {
    expect(automatedReason(headers(entries), from)).toBeNull();
  });
});

describe("isMachineSender", () => {
  it.each(["noreply@x.com", "no-reply@x.com", "no_reply@x.com", "donotreply@x.com", "do-not-reply@x.com", "notifications@github.com", "notification@x.com", "noreply-billing@x.com", "billing-noreply@x.com", "postmaster@x.com", "bounces+123@x.com"])(
    "%s is a machine",
    (address) => expect(isMachineSender(address)).toBe(true),
  );
  it.each(["noreen@x.com", "ann@x.com", "notes@x.com", "replyguy@x.com"])("%s is a person", (address) => expect(isMachineSender(address)).toBe(false));
});
