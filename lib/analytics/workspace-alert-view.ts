import { z } from "zod";
import type { WorkspaceAlert } from "@/db/schema";

export const ALERTS_MAX_LIMIT = 100;

export const alertsQuery = z.object({
  includeResolved: z.enum(["true", "false"]).default("false").transform((value) => value === "true").meta({ description: "Also list resolved alerts" }),
  limit: z.coerce.number().int().min(1).max(ALERTS_MAX_LIMIT).default(50),
});

export const workspaceAlertSchema = z
  .object({
    id: z.uuid(),
    kind: z.string().meta({ description: "What raised it: `campaign_guard` (a campaign paused automatically)" }),
    severity: z.enum(["warning", "critical"]),
    title: z.string(),
    message: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    resolvedAt: z.iso.datetime({ offset: true }).nullable().meta({ description: "When it was dealt with (the campaign resumed or cancelled); null while open" }),
  })
  .meta({ id: "WorkspaceAlert" });

export const alertsResponse = z.object({ data: z.array(workspaceAlertSchema) }).meta({ id: "WorkspaceAlerts" });

export function workspaceAlertView(alert: WorkspaceAlert): z.infer<typeof workspaceAlertSchema> {
  return {
    id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    title: alert.title,
    message: alert.message,
    targetType: alert.targetType,
    targetId: alert.targetId,
    createdAt: alert.createdAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
  };
}
