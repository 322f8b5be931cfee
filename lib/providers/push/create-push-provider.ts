import type { Db } from "@/db";
import { ConfigError, type Env, envValue } from "@/core/config/env";
import type { PushSubscriptionKind } from "@/db/queries/push-subscriptions";
import { vapidKeys } from "@/lib/config/vapid-keys";
import { classifyAddress } from "@/lib/security/ip-address";
import { FcmProvider } from "./fcm/fcm-provider";
import { parseFcmServiceAccount } from "./fcm/fcm-service-account";
import { OutboxPushProvider } from "./outbox-push-provider";
import type { PushProvider } from "./push-provider";
import { WebPushProvider } from "./web-push/web-push-provider";

export type PushProviderChoice = { kind: PushSubscriptionKind; provider: "outbox" | "web-push" | "fcm"; missing: string | null };

/**
 * Per kind of device: Web Push subscriptions go to the browser's push service and FCM tokens to
 * FCM when PUSH_PROVIDER is `services` (the default once VAPID keys or an FCM service account are
 * set), otherwise to the outbox. With `services`, an FCM token without a service account is
 * reported missing rather than quietly kept in the outbox. Shared by the factory and the health page.
 */
export function pushProviderChoices(env: Env = process.env): PushProviderChoice[] {
  const vapidSet = Boolean(envValue("WEB_PUSH_VAPID_PRIVATE_KEY", env) || envValue("WEB_PUSH_VAPID_PUBLIC_KEY", env));
  const fcmSet = Boolean(envValue("FCM_SERVICE_ACCOUNT", env));
  const choice = envValue("PUSH_PROVIDER", env) ?? (vapidSet || fcmSet ? "services" : "outbox");
  if (choice === "outbox") {
    return [
      { kind: "web_push", provider: "outbox", missing: null },
      { kind: "fcm", provider: "outbox", missing: null },
    ];
  }
  return [
    { kind: "web_push", provider: "web-push", missing: null },
    { kind: "fcm", provider: "fcm", missing: fcmSet ? null : "FCM_SERVICE_ACCOUNT" },
  ];
}

/**
 * The push channel's provider: one send per device, routed by the device's kind to the provider
 * chosen for it. Each vendor is built on first use and wrapped by `instrument` (metrics, traces),
 * so a broken FCM key fails FCM devices alone, with a ConfigError naming the variable.
 */
export function createPushProvider(
  db: Db,
  env: Env = process.env,
  instrument: (provider: PushProvider) => PushProvider = (provider) => provider,
): PushProvider {
  const choices = new Map(pushProviderChoices(env).map((choice) => [choice.kind, choice]));
  const built = new Map<string, PushProvider>();
  const build = (choice: PushProviderChoice): PushProvider => {
    if (choice.missing) throw new ConfigError(`FCM needs ${choice.missing} (a service account key) to send to FCM tokens`, choice.missing);
    if (choice.provider === "outbox") return new OutboxPushProvider(db);
    if (choice.provider === "web-push") {
      const testCa = envValue("WEB_PUSH_TEST_CA", env);
      const loopbackToo = (address: string) => ["public", "loopback"].includes(classifyAddress(address));
      return new WebPushProvider(vapidKeys(env), testCa ? { ca: testCa, isAllowedAddress: loopbackToo } : {});
    }
    return new FcmProvider(parseFcmServiceAccount(envValue("FCM_SERVICE_ACCOUNT", env)!), { baseUrl: envValue("FCM_BASE_URL", env) });
  };
  return {
    name: "push",
    async send(notification, device, sendOptions) {
      const choice = choices.get(device.kind)!;
      let provider = built.get(choice.provider);
      if (!provider) {
        provider = instrument(build(choice));
        built.set(choice.provider, provider);
      }
      return provider.send(notification, device, sendOptions);
    },
  };
}
