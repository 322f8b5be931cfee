import { describe, expect, it } from "vitest";
import { CHANNEL_ADDRESS, CHANNELS, subjectIssue } from "@/core/messages/channels";
import { channel } from "@/db/schema";

describe("channels", () => {
  it("are the database enum's values, in order", () => {
    expect(channel.enumValues).toEqual([...CHANNELS]);
  });

  it("address push and in-app messages to the contact itself", () => {
    expect(CHANNELS.filter((c) => CHANNEL_ADDRESS[c] === "contact")).toEqual(["push", "in_app"]);
  });

  it.each([
    ["email", undefined, "required for email"],
    ["email", "Hi", null],
    ["sms", "Hi", "SMS has no subject"],
    ["whatsapp", "Hi", "WhatsApp has no subject"],
    ["push", undefined, "required for push (the notification's title)"],
    ["in_app", undefined, null],
    ["in_app", "Heading", null],
  ] as const)("a %s message with subject %s: %s", (c, subject, issue) => {
    expect(subjectIssue(c, subject)).toBe(issue);
  });
});
