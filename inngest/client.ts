import { Inngest } from "inngest";
import { inngestMode } from "@/lib/config/inngest-mode";
import { logger } from "@/lib/observability/logger";
import { ObservabilityMiddleware } from "./observability-middleware";

// Fails at start-up in production when no signing key is configured (see inngestMode).
inngestMode();

/**
 * The one Inngest client. Which server it talks to is decided by environment variables only.
 * `ctx.logger` in functions (and the SDK's own messages) is the app's JSON logger, and the
 * observability middleware measures every function it serves.
 */
export const inngest = new Inngest({ id: "sendline", logger, middleware: [ObservabilityMiddleware] });
