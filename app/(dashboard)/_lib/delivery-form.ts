import type { Db } from "@/db";
import { getDeliverySettings, saveDeliverySettings } from "@/db/queries/delivery-settings";
import { deliverySettingsRequest } from "@/lib/delivery/delivery-settings-request";

export type DeliveryFormOutcome = { ok: boolean; message: string };

/**
 * The Delivery rules page's quiet-hours form, checked by the API's own schema
 * (PATCH /api/v1/delivery-settings): both times, or neither to turn quiet hours off, and the
 * workspace's time zone.
 */
export async function saveQuietHoursForm(db: Db, params: { workspaceId: string; form: FormData }): Promise<DeliveryFormOutcome> {
  const text = (name: string) => String(params.form.get(name) ?? "").trim();
  const [start, end, timezone] = [text("start"), text("end"), text("timezone")];
  const parsed = deliverySettingsRequest.safeParse({ quietHours: start || end ? { start, end } : null, ...(timezone ? { timezone } : {}) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.at(-1) === "timezone" ? "Time zone" : issue.path.at(-1) === "end" ? "End" : issue.path.at(-1) === "start" ? "Start" : "Quiet hours";
    return { ok: false, message: `Not saved: ${field} ${issue.message}.` };
  }
  const current = await getDeliverySettings(db, { workspaceId: params.workspaceId });
  const quiet = parsed.data.quietHours ?? null;
  const saved = await saveDeliverySettings(db, {
    workspaceId: params.workspaceId,
    quietHoursStart: quiet?.start ?? null,
    quietHoursEnd: quiet?.end ?? null,
    timezone: parsed.data.timezone ?? current.timezone,
  });
  return {
    ok: true,
    message: saved.quietHoursStart ? `Saved: quiet hours ${saved.quietHoursStart}–${saved.quietHoursEnd} (${saved.timezone} for contacts without a zone).` : `Saved: no quiet hours (${saved.timezone}).`,
  };
}
