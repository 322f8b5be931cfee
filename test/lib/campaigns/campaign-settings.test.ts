import { describe, expect, it } from "vitest";
import { campaignSettings, chunkRunsPerWorkspace, chunkThrottle, emailPartsInFlight } from "@/lib/campaigns/campaign-settings";

const at = (rps: number) => ({ ...campaignSettings({}), emailRequestsPerSecond: rps });
/** Chunks the throttle lets start per second, sustained. */
const chunksPerSecond = (throttle: { limit: number; period: string }) => throttle.limit / Number(throttle.period.replace(/s$/, ""));

describe("chunkThrottle", () => {
  it("starts a chunk every 4 s at Resend's default 2 requests/s (10 requests a chunk take 5 s)", () => {
    expect(chunkThrottle(at(2))).toEqual({ limit: 1, period: "4s", burst: 2 });
  });

  it("scales with a fast provider: chunks may start faster than the provider sends them, never slower", () => {
    for (const rps of [2, 5, 10, 13, 20, 50, 100, 500]) {
      const providerChunksPerSecond = rps / 10;
      expect(chunksPerSecond(chunkThrottle(at(rps)))).toBeGreaterThanOrEqual(providerChunksPerSecond);
    }
    // 50 requests/s send 5 chunks a second; a fixed 1 per second would cap the campaign at 1,000 emails/s.
    expect(chunkThrottle(at(50))).toEqual({ limit: 7, period: "1s", burst: 2 });
  });
});

describe("how much runs at once", () => {
  it("stays at two chunk runs of one part each for a slow provider", () => {
    expect(campaignSettings({})).toMatchObject({ emailRequestsPerSecond: 2, emailPartsInFlight: 1, chunkRunsPerWorkspace: 2 });
  });

  it("overlaps more parts and chunks for a fast provider, within bounds", () => {
    expect(emailPartsInFlight(50)).toBe(5);
    expect(emailPartsInFlight(10_000)).toBe(10);
    expect(chunkRunsPerWorkspace(at(50))).toBe(5);
    expect(chunkRunsPerWorkspace(at(10_000))).toBe(10);
    expect(campaignSettings({ EMAIL_PROVIDER_RPS: "50" })).toMatchObject({ emailPartsInFlight: 5, chunkRunsPerWorkspace: 5 });
  });
});
