import { describe, expect, it } from "vitest";
import { isValidTwilioSignature, twilioSignature } from "@/lib/providers/sms/twilio/twilio-signature";

// Twilio's published example (docs, "Webhooks security"): token, URL, params and signature.
const TOKEN = "12345";
const URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS: [string, string][] = [
  ["Digits", "1234"],
  ["To", "+18005551212"],
  ["From", "+14158675309"],
  ["Caller", "+14158675309"],
  ["CallSid", "CA1234567890ABCDE"],
];
const SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

describe("twilioSignature", () => {
  it("reproduces Twilio's documented example whatever order the fields arrive in", () => {
    expect(twilioSignature(TOKEN, URL, PARAMS)).toBe(SIGNATURE);
    expect(twilioSignature(TOKEN, URL, [...PARAMS].reverse())).toBe(SIGNATURE);
  });

  it.each([
    ["the documented request", TOKEN, URL, PARAMS, SIGNATURE, true],
    ["another auth token", "54321", URL, PARAMS, SIGNATURE, false],
    ["another URL", TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3", PARAMS, SIGNATURE, false],
    ["a changed field", TOKEN, URL, [...PARAMS.slice(1), ["Digits", "9999"]] as [string, string][], SIGNATURE, false],
    ["an extra field", TOKEN, URL, [...PARAMS, ["Body", "hi"]] as [string, string][], SIGNATURE, false],
    ["a truncated signature", TOKEN, URL, PARAMS, SIGNATURE.slice(0, -2), false],
  ])("%s → %s", (_case, token, url, params, signature, valid) => {
    expect(isValidTwilioSignature(token, url, params, signature)).toBe(valid);
  });
});
