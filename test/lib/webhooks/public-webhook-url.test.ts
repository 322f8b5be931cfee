import { describe, expect, it } from "vitest";
import { publicWebhookUrl } from "@/lib/webhooks/public-webhook-url";

const request = "http://10.0.0.7:3000/api/webhooks/twilio?messageId=m&workspaceId=w";

describe("publicWebhookUrl", () => {
  it.each([
    [{ PUBLIC_URL: "https://sendline.test" }, "https://sendline.test/api/webhooks/twilio?messageId=m&workspaceId=w"],
    [{ PUBLIC_URL: "https://sendline.test/" }, "https://sendline.test/api/webhooks/twilio?messageId=m&workspaceId=w"],
    [{ PUBLIC_URL: "https://example.test/sendline/" }, "https://example.test/sendline/api/webhooks/twilio?messageId=m&workspaceId=w"],
    [{ TWILIO_STATUS_CALLBACK_URL: "https://hooks.test/api/webhooks/twilio" }, "https://hooks.test/api/webhooks/twilio?messageId=m&workspaceId=w"],
    [{ PUBLIC_URL: "https://a.test", TWILIO_STATUS_CALLBACK_URL: "https://b.test/x" }, "https://a.test/api/webhooks/twilio?messageId=m&workspaceId=w"],
    [{}, "http://localhost:3000/api/webhooks/twilio?messageId=m&workspaceId=w"],
  ])("%j → %s", (env, expected) => {
    expect(publicWebhookUrl(request, env as unknown as NodeJS.ProcessEnv)).toBe(expected);
  });

  it("refuses to guess in production, and names a malformed PUBLIC_URL", () => {
    expect(() => publicWebhookUrl(request, { NODE_ENV: "production" } as NodeJS.ProcessEnv)).toThrow(/PUBLIC_URL is not set/);
    expect(() => publicWebhookUrl(request, { PUBLIC_URL: "not a url" } as unknown as NodeJS.ProcessEnv)).toThrow(/PUBLIC_URL is not a valid URL/);
  });
});
