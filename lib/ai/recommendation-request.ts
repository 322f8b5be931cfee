import { z } from "zod";
import { CONTACT_KINDS, RECOMMENDATION_KINDS, TARGETS_BY_KIND, type RecommendationTarget } from "@/core/ai/recommendation-kinds";

type AskedTarget = Exclude<RecommendationTarget, "contact">;
const TARGET_FIELDS = { campaign: "campaignId", template: "templateId", segment: "segmentId" } as const satisfies Record<AskedTarget, string>;

/**
 * `{kind, campaignId | templateId | segmentId}`: exactly one target, and one the kind accepts
 * (send time is per segment, a summary per campaign). Each mistake is named by its field. A
 * relationship summary is asked on its contact (POST /api/v1/contacts/{id}/relationship/summary),
 * which answers it there and then, so it is refused here.
 */
export const recommendationCreateRequest = z
  .strictObject({
    kind: z.enum(RECOMMENDATION_KINDS).meta({
      description: "subject-lines (campaign or template), send-time (segment), content-feedback (template or campaign), campaign-summary (campaign); relationship-summary is asked with POST /contacts/{id}/relationship/summary",
    }),
    campaignId: z.uuid().optional(),
    templateId: z.uuid().optional(),
    segmentId: z.uuid().optional(),
  })
  .superRefine((value, ctx) => {
    if (CONTACT_KINDS.includes(value.kind)) {
      ctx.addIssue({ code: "custom", path: ["kind"], message: "is asked per contact: POST /api/v1/contacts/{id}/relationship/summary" });
      return;
    }
    const given = (Object.keys(TARGET_FIELDS) as AskedTarget[]).filter((target) => value[TARGET_FIELDS[target]] !== undefined);
    const accepted = TARGETS_BY_KIND[value.kind] as readonly AskedTarget[];
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
    const targetType = (Object.keys(TARGET_FIELDS) as AskedTarget[]).find((target) => value[TARGET_FIELDS[target]] !== undefined)!;
    return { kind: value.kind, targetType, targetId: value[TARGET_FIELDS[targetType]]! };
  });
