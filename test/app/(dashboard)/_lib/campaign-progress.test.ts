import { describe, expect, it } from "vitest";
import { campaignProgressView, isCampaignLive } from "@/app/(dashboard)/_lib/campaign-progress";
import { campaignStatus } from "@/db/schema";

const counts = (audience: number, sent = 0, suppressed = 0, failed = 0) => ({ audience, sent, suppressed, failed });

describe("isCampaignLive", () => {
  const LIVE = [
    ["draft", false],
    ["scheduled", true],
    ["sending", true],
    ["paused", false],
    ["sent", false],
    ["cancelled", false],
    ["failed", false],
  ] as const;

  it.each(LIVE)("%s → %s", (status, expected) => {
    expect(isCampaignLive(status)).toBe(expected);
  });

  it("covers every status", () => {
    expect(LIVE.map(([status]) => status)).toEqual(campaignStatus.enumValues);
  });
});

describe("campaignProgressView", () => {
  it.each([
    ["a draft", "draft", counts(0), { percent: 0, label: "not started", tone: "active" }],
    ["a scheduled campaign", "scheduled", counts(0), { percent: 0, label: "not started", tone: "active" }],
    ["sending before the snapshot", "sending", counts(0), { percent: null, label: "preparing the audience", tone: "active" }],
    ["sending, none settled", "sending", counts(400), { percent: 0, label: "0 / 400 recipients", tone: "active" }],
    ["sending, a third (floored)", "sending", counts(3, 1), { percent: 33, label: "1 / 3 recipients", tone: "active" }],
    ["sending, every outcome counts", "sending", counts(1000, 500, 200, 100), { percent: 80, label: "800 / 1,000 recipients", tone: "active" }],
    ["999 of 1000 is not yet 100", "sending", counts(1000, 999), { percent: 99, label: "999 / 1,000 recipients", tone: "active" }],
    ["paused halfway", "paused", counts(10, 5), { percent: 50, label: "5 / 10 recipients", tone: "active" }],
    ["sent", "sent", counts(10, 8, 1, 1), { percent: 100, label: "10 / 10 recipients", tone: "completed" }],
    ["sent to an empty audience", "sent", counts(0), { percent: 100, label: "no recipients", tone: "completed" }],
    ["cancelled at a quarter", "cancelled", counts(100, 25), { percent: 25, label: "25 / 100 recipients", tone: "cancelled" }],
    ["failed before the snapshot", "failed", counts(0), { percent: 0, label: "no recipients", tone: "failed" }],
  ] as const)("%s", (_name, status, row, expected) => {
    expect(campaignProgressView(status, row)).toEqual(expected);
  });
});
