import { Cron } from "croner";

/** Next fire time after `from` for an Inngest cron string, honouring a leading `TZ=Zone `. */
export function nextCronTime(spec: string, from: number): number | undefined {
  let pattern = spec.trim();
  let timezone: string | undefined;
  const tz = /^(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(pattern);
  if (tz) {
    timezone = tz[1];
    pattern = tz[2] ?? "";
  }
  const job = new Cron(pattern, { timezone, paused: true });
  const next = job.nextRun(new Date(from));
  job.stop();
  return next ? next.getTime() : undefined;
}
