import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";

const breaker = z.object({
  state: z.enum(["closed", "open", "half-open"]).meta({ description: "closed: sending; open: skipped until the cool-down ends; half-open: one trial call is out" }),
  failures: z.number().int().meta({ description: "Failures counted in the current window" }),
  openedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

export const providerHealthSchema = z.object({
  channel: z.enum(["email", "sms", "whatsapp", "push"]),
  position: z.number().int().meta({ description: "Place in the channel's ordered list, from 1" }),
  provider: z.string(),
  missing: z.string().nullable().meta({ description: "A variable the provider still needs, if any" }),
  breaker,
});

export const providersApi = {
  list: apiOperation({
    method: "get",
    path: "/providers",
    tag: "Providers",
    summary: "Each channel's ordered providers with their circuit breaker state",
    responses: { 200: { description: "The providers", schema: z.object({ data: z.array(providerHealthSchema) }) } },
  }),
};
