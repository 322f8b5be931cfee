import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { inngestServeOptions } from "@/lib/config/inngest-serve-options";

// Vercel: let long steps run up to five minutes before the platform cuts the request.
export const maxDuration = 300;

// In production the registered URL comes from PUBLIC_URL and only signed syncs are accepted.
export const { GET, POST, PUT } = serve({ client: inngest, functions, ...inngestServeOptions() });
