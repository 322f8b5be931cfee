import { describe, expect, it } from "vitest";
import { campaignCreateRequest } from "@/lib/campaigns/campaign-request";

const base = { name: "Spring", channel: "email", templateId: "0193c5d2-5b1e-7c3a-9f00-000000000001", audience: { listId: "0193c5d2-5b1e-7c3a-9f00-000000000002" } };
const test = { variants: [{ subject: "A" }, { subject: "B" }], testPercent: 20, windowMinutes: 240, metric: "opens" };

/** The field paths a request is refused for, or [] when it is accepted. */
function refused(body: Record<string, unknown>): string[] {
  const result = campaignCreateRequest.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
}

describe("a campaign's A/B test in the create request", () => {
  it.each([
    ["two variants changing the subject", { ...base, abTest: test }],
    ["four variants changing template and sender", { ...base, abTest: { ...test, variants: [{ subject: "A" }, { templateId: base.templateId }, { from: "Shop <shop@example.com>" }, { subject: "D", from: "d@example.com" }] } }],
    ["a goal event", { ...base, abTest: { ...test, metric: "goal", goalEvent: "purchase" } }],
    ["send times: now against four hours later", { ...base, abTest: { ...test, variants: [{ sendDelayMinutes: 0 }, { sendDelayMinutes: 240 }] } }],
    ["a send time with a subject", { ...base, abTest: { ...test, variants: [{ subject: "A" }, { subject: "B", sendDelayMinutes: 1_440 }] } }],
    ["an SMS test on clicks with another sender", { ...base, channel: "sms", abTest: { ...test, metric: "clicks", variants: [{ from: "Shop" }, { from: "+15550100" }] } }],
  ])("accepts %s", (_case, body) => {
    expect(refused(body)).toEqual([]);
  });

  it.each([
    ["one variant", { ...base, abTest: { ...test, variants: [{ subject: "A" }] } }, "abTest.variants"],
    ["five variants", { ...base, abTest: { ...test, variants: Array.from({ length: 5 }, (_, i) => ({ subject: `${i}` })) } }, "abTest.variants"],
    ["a variant that changes nothing", { ...base, abTest: { ...test, variants: [{ subject: "A" }, {}] } }, "abTest.variants.1"],
    ["a send time more than a day after the start", { ...base, abTest: { ...test, variants: [{ sendDelayMinutes: 0 }, { sendDelayMinutes: 1_441 }] } }, "abTest.variants.1.sendDelayMinutes"],
    ["a negative send time", { ...base, abTest: { ...test, variants: [{ sendDelayMinutes: -60 }, { sendDelayMinutes: 60 }] } }, "abTest.variants.0.sendDelayMinutes"],
    ["a send time in part of a minute", { ...base, abTest: { ...test, variants: [{ sendDelayMinutes: 0 }, { sendDelayMinutes: 1.5 }] } }, "abTest.variants.1.sendDelayMinutes"],
    ["more than half the audience in the test", { ...base, abTest: { ...test, testPercent: 60 } }, "abTest.testPercent"],
    ["no window", { ...base, abTest: { ...test, windowMinutes: 0 } }, "abTest.windowMinutes"],
    ["the goal metric without its event", { ...base, abTest: { ...test, metric: "goal" } }, "abTest.goalEvent"],
    ["a goal event with another metric", { ...base, abTest: { ...test, goalEvent: "purchase" } }, "abTest.goalEvent"],
    ["a local send time as well", { ...base, localSendTime: "09:00", abTest: test }, "abTest"],
    ["opens on SMS", { ...base, channel: "sms", abTest: { ...test, variants: [{ from: "A" }, { from: "B" }] } }, "abTest.metric"],
    ["a subject on SMS", { ...base, channel: "sms", abTest: { ...test, metric: "clicks", variants: [{ subject: "A" }, { from: "B" }] } }, "abTest.variants.0.subject"],
    ["a sender that is no address", { ...base, abTest: { ...test, variants: [{ subject: "A" }, { from: "not an address" }] } }, "abTest.variants.1.from"],
  ])("refuses %s", (_case, body, path) => {
    expect(refused(body)).toContain(path);
  });
});
