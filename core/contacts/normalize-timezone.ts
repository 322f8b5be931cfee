import { boundedMemo } from "@/core/memo/bounded-memo";
import { accept, type Normalized, reject } from "./normalized";

// Area/Location names plus the few bare ones (UTC, GMT, EST5EDT…). Offsets such as "+05:00"
// are refused even where Intl would take them: they are not zones and ignore daylight saving.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

let canonicalByLowerCase: Map<string, string> | undefined;

/**
 * Validates an IANA time zone name against the runtime's tz database and returns it in its
 * canonical spelling ("europe/paris" → "Europe/Paris"). Aliases the runtime knows but does
 * not list ("US/Pacific") are kept as written: they resolve to the same rules. Remembered by
 * input name: building an Intl.DateTimeFormat costs ~100 µs, which dominated imports (a million
 * rows name a few hundred zones at most).
 */
export const normalizeTimezone: (input: string) => Normalized<string> = boundedMemo(checkTimezone, 10_000);

function checkTimezone(input: string): Normalized<string> {
  const name = input.trim();
  if (name === "") return reject("is empty");
  if (!ZONE_NAME.test(name)) return reject("is not an IANA time zone such as Europe/Paris");
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
  } catch {
    return reject("is not an IANA time zone such as Europe/Paris");
  }
  canonicalByLowerCase ??= new Map(Intl.supportedValuesOf("timeZone").map((zone) => [zone.toLowerCase(), zone]));
  return accept(canonicalByLowerCase.get(name.toLowerCase()) ?? (name.toLowerCase() === "utc" ? "UTC" : name));
}
