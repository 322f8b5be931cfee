import type { Db } from "@/db";
import type { InAppProvider } from "./in-app-provider";
import { InboxInAppProvider } from "./inbox-in-app-provider";

/**
 * The in-app channel has one provider, Sendline's own inbox store, so there is nothing to
 * configure; the factory exists so the channel is built like the others (a vendor inbox would
 * be chosen here by env).
 */
export function createInAppProvider(db: Db): InAppProvider {
  return new InboxInAppProvider(db);
}
