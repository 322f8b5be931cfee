import { z } from "zod";
import { segmentFilter } from "@/core/segments/segment-filter";

export const SEGMENT_NAME_MAX_LENGTH = 200;

const name = z.string().trim().min(1).max(SEGMENT_NAME_MAX_LENGTH);

export const segmentCreateRequest = z.strictObject({ name, filter: segmentFilter });

export const segmentPatchRequest = z
  .strictObject({ name: name.optional(), filter: segmentFilter.optional() })
  .refine((value) => value.name !== undefined || value.filter !== undefined, "names no field to change");
