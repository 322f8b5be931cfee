import { z } from "zod";
import { RECOMMENDATION_KINDS, TARGETS_BY_KIND, type RecommendationTarget } from "@/core/ai/recommendation-kinds";

const TARGET_FIELDS = { campaign: "campaignId", template: "templateId", segment: "segmentId" } as const satisfies Record<RecommendationTarget, string>;

/**
 * `{kind, campaignId | templateId | segmentId}`: exactly one target, and one the kind accepts
 * (send time is per segment, a summary per campaign). Each mistake is named by its field.
 */
export const recommendationCreateRequest = z
  .strictObject({
    kind: z.enum(RECOMMENDATION_KINDS).meta({ description: "subject-lines (campaign or template), send-time (segment), content-feedback (template or campaign), campaign-summary (campaign)" }),
    campaignId: z.uuid().optional(),
    templateId: z.uuid().optional(),
    segmentId: z.uuid().optional(),
  })
  .superRefine((value, ctx) => {
    const given = (Object.keys(TARGET_FIELDS) as RecommendationTarget[]).filter((target) => value[TARGET_FIELDS[target]] !== undefined);
    const accepted = TARGETS_BY_KIND[value.kind];
    const expected = accepted.map((target) => TARGET_FIELDS[target]).join(" or ");
    if (given.length === 0) ctx.addIssue({ code: "custom", path: [TARGET_FIELDS[accepted[0]!]], message: `is required for ${value.kind} (give ${expected})` });
    for (const target of given) {
      if (!accepted.includes(target)) ctx.addIssue({ code: "custom", path: [TARGET_FIELDS[target]], message: `is not a target of ${value.kind} (give ${expected})` });
    }
    if (given.length > 1 && given.every((target) => accepted.includes(target))) {
      ctx.addIssue({ code: "custom", path: [TARGET_FIELDS[given[1]!]], message: `give one target only (${expected})` });
    }
  })
  .transform((value) => {
    const targetType = (Object.keys(TARGET_FIELDS) as RecommendationTarget[]).find((target) => value[TARGET_FIELDS[target]] !== undefined)!;
    return { kind: value.kind, targetType, targetId: value[TARGET_FIELDS[targetType]]! };
  });
