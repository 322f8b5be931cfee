import { z } from "zod";
import { campaignArchiveStateSchema } from "./archives";
import { campaignStatus } from "@/db/schema";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { ACTION_FROM, type CampaignAction } from "@/lib/campaigns/campaign-actions";
import { campaignFailuresQuery, campaignFailuresResponse } from "@/lib/campaigns/campaign-failures-request";
import { campaignCreateRequest, campaignScheduleRequest } from "@/lib/campaigns/campaign-request";
import { idParams, nullableTimestamp, paged, timestamp } from "./common";
import { AB_METRICS } from "@/core/ab-tests/ab-test";
import { abLeaderSchema, abRate, abWinnerSchema } from "./ab-tests";

const tag = "Campaigns";
const count = z.number().int();

export const campaignSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    channel: z.enum(["email", "sms"]),
    templateId: z.uuid(),
    audience: z.union([z.object({ listId: z.uuid() }), z.object({ segmentId: z.uuid() })]),
    category: z.string().nullable().meta({ description: "The category key its messages carry; null: none" }),
    from: z.string().nullable(),
    replyTo: z.string().nullable(),
    sendAt: nullableTimestamp,
    localSendTime: z.string().nullable().meta({ description: "HH:MM: delivered at this local time in each recipient's time zone; null: everyone at `sendAt`" }),
    status: z.enum(campaignStatus.enumValues),
    statusReason: z.string().nullable().meta({ description: "Why it is where it is (held back, failed, back to draft), in words" }),
    audienceCount: count.nullable(),
    startedAt: nullableTimestamp,
    finishedAt: nullableTimestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Campaign" });

const rate = abRate;

export const campaignAbTestSchema = z
  .object({
    metric: z.enum(AB_METRICS),
    goalEvent: z.string().nullable(),
    testPercent: count,
    windowMinutes: count,
    decideAt: nullableTimestamp.meta({ description: "When the winner is picked: the window after sending started; null until then" }),
    state: z.enum(["not_started", "testing", "decided"]),
    canPickNow: z.boolean().meta({ description: "The winner can be picked now (POST …/ab-test/winner): testing, every variant sent, window not over" }),
    restSendAt: nullableTimestamp.meta({ description: "A send-time test with its winner picked: when the rest of the audience gets the winner (its time of day, next); null otherwise" }),
    variants: z.array(
      z.object({
        variant: z.string().meta({ description: "A, B, C or D", example: "B" }),
        index: count,
        subject: z.string().nullable(),
        templateId: z.uuid().nullable(),
        from: z.string().nullable(),
        sendDelayMinutes: count.nullable().meta({ description: "A send-time variant: minutes after sending starts" }),
        sendAt: nullableTimestamp.meta({ description: "A send-time variant of a started test: when its sample goes out" }),
        recipients: count.meta({ description: "Recipients of the test sample given this variant" }),
        sent: count.meta({ description: "Of them, messages sent: the rate's denominator" }),
        conversions: count.meta({ description: "Of those sent, recipients who opened (human opens), clicked (human clicks) or had the goal event, by the metric" }),
        rate: rate.meta({ description: "conversions / sent (0 when nothing was sent)" }),
      }),
    ),
    leader: abLeaderSchema,
    winner: abWinnerSchema.meta({ description: "Recorded once; the rest of the audience gets this variant" }),
  })
  .meta({ id: "CampaignAbTestResult" });

export const campaignDetailSchema = campaignSchema
  .extend({
    stats: z.object({
      audience: count,
      sent: count,
      suppressed: count,
      failed: count,
      pending: count,
      delivered: count,
      opened: count,
      uniqueOpened: count,
      clicked: count,
      uniqueClicked: count,
      bounced: count,
      complained: count,
      unsubscribed: count,
    }),
    progress: z.object({ chunks: count, chunksDone: count, percent: count }),
    zones: z
      .array(
        z.object({
          zone: z.string().meta({ description: "An IANA time zone" }),
          releaseAt: timestamp.meta({ description: "When this zone's recipients are sent: `localSendTime` there" }),
          chunks: count,
          chunksDone: count,
          recipients: count,
          sent: count,
        }),
      )
      .meta({ description: "A local-time campaign once sending started: each zone's schedule and progress, earliest first; otherwise empty" }),
    abTest: campaignAbTestSchema.nullable().meta({ description: "The campaign's A/B test and its live results; null: no test" }),
    archive: campaignArchiveStateSchema.meta({ description: "The campaign's archive in cold storage, if any; while `rowsInArchive`, `audience`/`sent`/`suppressed`/`failed` come from the archive's manifest and engagement from the rollups" }),
  })
  .meta({ id: "CampaignDetail" });

const ACTION_SUMMARIES: Record<CampaignAction, string> = {
  schedule: "Schedule the campaign for `sendAt`",
  send: "Send the campaign now",
  pause: "Pause a sending campaign",
  resume: "Resume a paused campaign",
  cancel: "Cancel the campaign",
};

const PREFLIGHTED: readonly CampaignAction[] = ["schedule", "send"];

/** One operation per action: POST /campaigns/{id}/schedule, …/send, … (one route file, `[action]`). */
function campaignAction<B extends z.ZodType | undefined = undefined>(action: CampaignAction, body?: B) {
  return apiOperation({
    method: "post",
    path: `/campaigns/{id}/${action}`,
    tag,
    summary: ACTION_SUMMARIES[action],
    description: `Applies to ${ACTION_FROM[action].join(", ")} campaigns.${PREFLIGHTED.includes(action) ? " Renders the template for a sample of the audience first (preflight)." : ""}`,
    params: idParams("campaign"),
    body: body as B,
    responses: { [action === "send" ? 202 : 200]: { description: "The campaign after the change", schema: campaignDetailSchema } },
    errors: {
      404: "No such campaign in this workspace",
      409: `\`invalid_state\`: the campaign is in another state${PREFLIGHTED.includes(action) ? "; `preflight_failed`: the template cannot render for the audience (the message names the variable and where; the campaign is unchanged)" : ""}`,
      ...(action === "pause" ? {} : { 503: "The change is saved but could not be queued; retry" }),
    },
  });
}

export const campaignsApi = {
  create: apiOperation({
    method: "post",
    path: "/campaigns",
    tag,
    summary: "Create a draft campaign (scheduled at once when `sendAt` is given)",
    description:
      "The template is rendered for a real sample of the audience first (preflight): a template that cannot render is a 400 naming the variable, where it is and the contact it failed for, and nothing is saved. With `abTest`, the variants go to a random sample of the audience first, and the variant with the best rate after the window to everyone else (results: GET /campaigns/{id}/ab-test).",
    body: campaignCreateRequest,
    responses: { 201: { description: "The campaign", schema: campaignDetailSchema } },
    errors: { 503: "The campaign is saved but its schedule could not be queued" },
  }),
  list: apiOperation({
    method: "get",
    path: "/campaigns",
    tag,
    summary: "List campaigns, newest first",
    query: z.strictObject({ status: z.enum(campaignStatus.enumValues).optional(), ...pageParams }),
    responses: { 200: { description: "A page of campaigns", schema: paged(campaignSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/campaigns/{id}",
    tag,
    summary: "One campaign with its live counters",
    params: idParams("campaign"),
    responses: { 200: { description: "The campaign", schema: campaignDetailSchema } },
    errors: { 404: "No such campaign in this workspace" },
  }),
  failures: apiOperation({
    method: "get",
    path: "/campaigns/{id}/failures",
    tag,
    summary: "The campaign's failed recipients and the error each got",
    params: idParams("campaign"),
    query: campaignFailuresQuery,
    responses: { 200: { description: "A page of failures", schema: campaignFailuresResponse } },
    errors: { 404: "No such campaign in this workspace" },
  }),
  abTest: apiOperation({
    method: "get",
    path: "/campaigns/{id}/ab-test",
    tag,
    summary: "The campaign's A/B test: each variant's sent, conversions and rate, the leader, and the winner with its p-value",
    params: idParams("campaign"),
    responses: { 200: { description: "The test's results", schema: campaignAbTestSchema } },
    errors: { 404: "No such campaign in this workspace, or it has no A/B test" },
  }),
  pickAbWinner: apiOperation({
    method: "post",
    path: "/campaigns/{id}/ab-test/winner",
    tag,
    summary: "Pick the A/B test's winner now instead of at the end of the window, and send it to the rest of the audience",
    description: "The winner is the variant with the best rate so far (ties: the first). Recorded once: a second pick, or the window's own, keeps the first.",
    params: idParams("campaign"),
    responses: { 200: { description: "The campaign after the pick", schema: campaignDetailSchema } },
    errors: {
      404: "No such campaign in this workspace, or it has no A/B test",
      409: "`invalid_state`: the test has not started, its winner is already picked, or the campaign was cancelled or failed",
      503: "The winner is recorded but the rest could not be queued; the window's end sends them",
    },
  }),
  // Every action of CAMPAIGN_ACTIONS, checked by `satisfies` below.
  schedule: campaignAction("schedule", campaignScheduleRequest),
  send: campaignAction("send"),
  pause: campaignAction("pause"),
  resume: campaignAction("resume"),
  cancel: campaignAction("cancel"),
} satisfies Record<CampaignAction, unknown> & Record<string, unknown>;
