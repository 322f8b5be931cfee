import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";

export const creditsApi = {
  get: apiOperation({
    method: "get",
    path: "/credits",
    tag: "Credits",
    summary: "The workspace's credit balance (one credit per campaign message)",
    responses: { 200: { description: "The balance", schema: z.object({ balance: z.number().int() }) } },
  }),
};
