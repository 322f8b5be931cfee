import type { Db } from "@/db";
import { RETENTION_RULES } from "@/core/lifecycle/retention-rules";
import { retentionPolicyRequest } from "@/lib/api/contracts/retention";
import { type DryRunReport, dryRunRetention, updateRetentionPolicy } from "@/lib/lifecycle/retention-policy";

/**
 * The /retention form, as PUT /api/v1/retention-policy does it (the same schema and the same
 * confirmation gate), with one step more for people: enabling first shows the dry run's report
 * ("review"), and only "Enable" saves it; past the confirmation share the report comes back as
 * "confirm", and only "Confirm and enable" saves it.
 */
export type RetentionFormState = {
  kind: "idle" | "report" | "review" | "confirm" | "saved" | "error";
  message: string;
  report?: DryRunReport;
  fields?: Record<string, string>;
};

export const IDLE_RETENTION: RetentionFormState = { kind: "idle", message: "" };

/** Intents: `preview` (dry run only), `save` (review first when enabling), `enable` (save after review), `confirm` (save past the share). */
export type RetentionIntent = "preview" | "save" | "enable" | "confirm";

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

/** The form's values as the API's body: an empty days box is the rule off; the share is given in percent. */
export function retentionFormInput(form: FormData, intent: RetentionIntent) {
  const body: Record<string, unknown> = { enabled: form.get("enabled") === "on", confirm: intent === "confirm" };
  for (const rule of RETENTION_RULES) {
    const raw = text(form, rule);
    body[rule] = raw === "" ? null : Number(raw);
  }
  const share = text(form, "confirmSharePercent");
  if (share !== "") body.confirmShare = Number(share) / 100;
  return retentionPolicyRequest.safeParse(body);
}

export async function submitRetentionForm(db: Db, params: { workspaceId: string; form: FormData; now: Date }): Promise<RetentionFormState> {
  const raw = text(params.form, "intent");
  const intent: RetentionIntent = raw === "preview" || raw === "enable" || raw === "confirm" ? raw : "save";
  const parsed = retentionFormInput(params.form, intent);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message]));
    return { kind: "error", message: "Some values are not valid: days are whole numbers from 1, the share a percentage above 0 and up to 100.", fields };
  }
  const input = parsed.data;
  const draft = { inactiveContactDays: input.inactiveContactDays, messageBodyDays: input.messageBodyDays, webhookPayloadDays: input.webhookPayloadDays, runDataDays: input.runDataDays, confirmShare: input.confirmShare };
  if (intent === "preview" || (intent === "save" && input.enabled)) {
    const report = await dryRunRetention(db, { workspaceId: params.workspaceId, draft, now: params.now });
    if (intent === "preview") return { kind: "report", message: "Dry run: nothing was changed.", report };
    return report.needsConfirmation
      ? { kind: "confirm", message: confirmMessage(report), report }
      : { kind: "review", message: "This is what the policy would do today. Enable it to apply it every day.", report };
  }
  const saved = await updateRetentionPolicy(db, { workspaceId: params.workspaceId, actor: "dashboard", input, now: params.now });
  if (!saved.ok) return { kind: "confirm", message: confirmMessage(saved.report), report: saved.report };
  return { kind: "saved", message: saved.policy.enabled ? "Saved: the policy runs daily at 03:30 UTC." : "Saved: the policy is off.", report: saved.report ?? undefined };
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function confirmMessage(report: DryRunReport): string {
  const { wouldAnonymise, live, share } = report.contacts;
  return `This policy would anonymise ${wouldAnonymise} of ${live} contacts (${percent(share)}), more than ${percent(report.confirmShare)}. Anonymising cannot be undone: confirm to enable it.`;
}
