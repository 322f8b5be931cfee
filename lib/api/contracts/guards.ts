import { apiOperation } from "@/lib/api/api-operation";
import { campaignAnalysisResponse } from "@/lib/analytics/campaign-analysis-view";
import { alertsQuery, alertsResponse } from "@/lib/analytics/workspace-alert-view";
import { idParams } from "./common";

export const campaignAnalysesApi = {
  get: apiOperation({
    method: "get",
    path: "/campaigns/{id}/analysis",
    tag: "Campaigns",
    summary: "How a campaign did against the workspace's baseline, and its automatic pauses",
    description:
      "Each rate (delivery, unique open, unique click, bounce, hard bounce, complaint, unsubscribe) with its numerator, denominator and 95 % Wilson interval, compared with the pooled last 10 finished campaigns of the same channel within 90 days: the difference with Newcombe's interval and a two-proportion test, flagged better or worse below p = 0.01. Analysed when the campaign finishes and again 48 hours later.",
    params: idParams("campaign"),
    responses: { 200: { description: "The analyses (empty until the campaign finished) and guard pauses", schema: campaignAnalysisResponse } },
    errors: { 404: "No such campaign in this workspace" },
  }),
};

export const alertsApi = {
  list: apiOperation({
    method: "get",
    path: "/alerts",
    tag: "Alerts",
    summary: "The workspace's alerts, newest first (open ones unless `includeResolved=true`)",
    description: "Raised when a campaign is paused automatically by the complaint or hard-bounce guard; resolved when the campaign is resumed or cancelled.",
    query: alertsQuery,
    responses: { 200: { description: "The newest alerts, up to `limit`", schema: alertsResponse } },
  }),
};
