import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// Vercel: let long steps run up to five minutes before the platform cuts the request.
export const maxDuration = 300;

export const { GET, POST, PUT } = serve({ client: inngest, functions });
