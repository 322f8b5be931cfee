import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";

export const openApiApi = {
  document: apiOperation({
    method: "get",
    path: "/openapi.json",
    tag: "Reference",
    summary: "This document: the API as OpenAPI 3.1",
    description: "Public (no API key). Built from the same zod schemas the routes validate with; the dashboard's `/docs` page renders it.",
    responses: { 200: { description: "The OpenAPI document", schema: z.record(z.string(), z.unknown()) } },
    public: true,
  }),
};
