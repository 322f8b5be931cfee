import { Inngest } from "inngest";
import { inngestMode } from "@/lib/config/inngest-mode";

// Fails at start-up in production when no signing key is configured (see inngestMode).
inngestMode();

/** The one Inngest client. Which server it talks to is decided by environment variables only. */
export const inngest = new Inngest({ id: "sendline" });
