import { describe, expect, it } from "vitest";
import { nextCronTime } from "@/engine/cron";

const next = (spec: string, from: string) => new Date(nextCronTime(spec, Date.parse(from))!).toISOString();

/**
 * Inngest cron strings may name a time zone (`TZ=Europe/Paris 0 9 * * *`): 09:00 on Paris
 * clocks, which is 08:00 UTC in winter (CET, +01:00) and 07:00 UTC in summer (CEST, +02:00),
 * never 09:00 UTC. In 2026 Paris moves to summer time on 29 March and back on 25 October.
 */
describe("nextCronTime", () => {
  it.each([
    ["UTC when no zone is named", "0 9 * * *", "2026-01-15T10:00:00Z", "2026-01-16T09:00:00.000Z"],
    ["Paris in winter: 08:00 UTC", "TZ=Europe/Paris 0 9 * * *", "2026-01-15T10:00:00Z", "2026-01-16T08:00:00.000Z"],
    ["Paris in summer: 07:00 UTC", "TZ=Europe/Paris 0 9 * * *", "2026-07-15T10:00:00Z", "2026-07-16T07:00:00.000Z"],
    ["the CRON_TZ= spelling", "CRON_TZ=Europe/Paris 0 9 * * *", "2026-07-15T10:00:00Z", "2026-07-16T07:00:00.000Z"],
    ["the day before summer time: still 08:00 UTC", "TZ=Europe/Paris 0 9 * * *", "2026-03-28T07:30:00Z", "2026-03-28T08:00:00.000Z"],
    ["across the spring change: 07:00 UTC the next morning", "TZ=Europe/Paris 0 9 * * *", "2026-03-28T08:30:00Z", "2026-03-29T07:00:00.000Z"],
    ["the last summer morning: 07:00 UTC", "TZ=Europe/Paris 0 9 * * *", "2026-10-24T06:00:00Z", "2026-10-24T07:00:00.000Z"],
    ["across the autumn change: 08:00 UTC the next morning", "TZ=Europe/Paris 0 9 * * *", "2026-10-24T07:30:00Z", "2026-10-25T08:00:00.000Z"],
  ])("%s", (_name, spec, from, expected) => {
    expect(next(spec, from)).toBe(expected);
  });

  it("tells a Paris schedule from a UTC one on every day of a year", () => {
    let at = Date.parse("2026-01-01T00:00:00Z");
    for (let day = 0; day < 365; day++) {
      const paris = nextCronTime("TZ=Europe/Paris 0 9 * * *", at)!;
      const hour = new Date(paris).getUTCHours();
      const summer = paris >= Date.parse("2026-03-29T01:00:00Z") && paris < Date.parse("2026-10-25T01:00:00Z");
      expect(hour).toBe(summer ? 7 : 8);
      at = paris + 1;
    }
  });
});
