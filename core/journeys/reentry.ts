import type { JourneyReentry } from "./graph";

const DAY_MS = 86_400_000;

/**
 * Whether a contact may enter a journey again, given its latest enrollment there. A contact in
 * the journey now never enters twice (the partial unique index holds this too); `never`: once
 * ever; `after`: N days after it last entered; `always`: as soon as the last pass ended.
 */
export function reentryVerdict(
  rule: JourneyReentry,
  last: { status: string; enteredAt: Date } | undefined,
  now: Date,
): { ok: true } | { ok: false; outcome: "already_active" | "reentry_blocked" } {
  if (!last) return { ok: true };
  if (last.status === "active") return { ok: false, outcome: "already_active" };
  if (rule.mode === "always") return { ok: true };
  if (rule.mode === "after" && now.getTime() >= last.enteredAt.getTime() + rule.days * DAY_MS) return { ok: true };
  return { ok: false, outcome: "reentry_blocked" };
}

/**
 * The same rule as a bulk insert states it (insertEnrollmentsBulk): `never`, `always`, or the
 * instant a contact must have last entered before to enter again.
 */
export function bulkReentry(rule: JourneyReentry, now: Date): "never" | "always" | { enteredBefore: Date } {
  return rule.mode === "after" ? { enteredBefore: new Date(now.getTime() - rule.days * DAY_MS) } : rule.mode;
}
