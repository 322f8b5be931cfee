import { createSign, generateKeyPairSync } from "node:crypto";
import https from "node:https";
import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeWebPush, startFakeWebPush } from "./fake-web-push";

/**
 * The fake refuses what real push services refuse, so the provider tests passing against it mean
 * something: requests are built with web-push itself, then spoiled one way at a time.
 */
let fake: FakeWebPush;
const vapid = webpush.generateVAPIDKeys();

beforeAll(async () => {
  fake = await startFakeWebPush();
});
afterAll(() => fake.stop());

type Details = { headers: Record<string, string | number>; body: Buffer | null; endpoint: string };

function details(payload = "hello", subscription = fake.subscribe(), vapidDetails = { subject: "mailto:ops@example.com", ...vapid }): Details {
  return webpush.generateRequestDetails(subscription, payload, { vapidDetails, TTL: 60, contentEncoding: "aes128gcm" }) as unknown as Details;
}

function post(request: Details): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.endpoint);
    const req = https.request({ hostname: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: request.headers as Record<string, string>, ca: fake.certificate }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(request.body ?? undefined);
  });
}

/** A VAPID JWT with the given claims, signed ES256 by `privateKey` (base64url d of P-256). */
function vapidJwt(claims: Record<string, unknown>, keys = vapid): string {
  const point = Buffer.from(keys.publicKey, "base64url");
  const jwk = { kty: "EC", crv: "P-256", d: keys.privateKey, x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ typ: "JWT", alg: "ES256" })}.${encode(claims)}`;
  const signature = createSign("SHA256").update(input).sign({ key: jwk, format: "jwk", dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

describe("the fake Web Push service", () => {
  it("takes a well-formed request (201) and keeps the decrypted payload", async () => {
    const response = await post(details("hello"));
    expect(response.status).toBe(201);
    expect(fake.deliveries.at(-1)?.payload).toBe("hello");
  });

  it("refuses a payload encrypted for another subscription's keys (400)", async () => {
    const request = details("secret", fake.subscribe());
    request.endpoint = fake.subscribe().endpoint;
    const response = await post(request);
    expect(response).toMatchObject({ status: 400, body: expect.stringMatching(/does not decrypt/) });
  });

  it("answers 413 past 4096 bytes", async () => {
    const request = details("x".repeat(4_100));
    expect((await post(request)).status).toBe(413);
  });

  it.each([
    ["no TTL", (r: Details) => void delete r.headers.TTL, 400, /TTL/],
    ["the legacy aesgcm coding", (r: Details) => void (r.headers["Content-Encoding"] = "aesgcm"), 400, /Content-Encoding/],
    ["no Authorization", (r: Details) => void delete r.headers.Authorization, 401, /missing VAPID/],
  ])("refuses a request with %s", async (_case, spoil, status, reason) => {
    const request = details();
    spoil(request);
    const response = await post(request);
    expect(response).toMatchObject({ status, body: expect.stringMatching(reason) });
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ["another audience", () => ({ aud: "https://push.example.net", exp: now() + 3600, sub: "mailto:a@example.com" }), /aud must be/],
    ["an expired token", () => ({ aud: fake.url, exp: now() - 1, sub: "mailto:a@example.com" }), /expired/],
    ["an expiry over 24 hours away", () => ({ aud: fake.url, exp: now() + 25 * 3600, sub: "mailto:a@example.com" }), /24 hours/],
    ["a subject that is not mailto: or https:", () => ({ aud: fake.url, exp: now() + 3600, sub: "ops@example.com" }), /sub must be/],
  ])("refuses a VAPID JWT with %s (401)", async (_case, claims, reason) => {
    const request = details();
    request.headers.Authorization = `vapid t=${vapidJwt(claims())}, k=${vapid.publicKey}`;
    expect(await post(request)).toMatchObject({ status: 401, body: expect.stringMatching(reason) });
  });

  it("refuses a JWT signed with RS256, or by a key other than the one it names", async () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const input = `${Buffer.from(JSON.stringify({ typ: "JWT", alg: "RS256" })).toString("base64url")}.${Buffer.from(JSON.stringify({ aud: fake.url, exp: Math.floor(Date.now() / 1000) + 60, sub: "mailto:a@example.com" })).toString("base64url")}`;
    const request = details();
    request.headers.Authorization = `vapid t=${input}.${createSign("SHA256").update(input).sign(rsa).toString("base64url")}, k=${vapid.publicKey}`;
    expect(await post(request)).toMatchObject({ status: 401, body: expect.stringMatching(/ES256/) });
    const other = webpush.generateVAPIDKeys();
    request.headers.Authorization = `vapid t=${vapidJwt({ aud: fake.url, exp: Math.floor(Date.now() / 1000) + 60, sub: "mailto:a@example.com" }, other)}, k=${vapid.publicKey}`;
    expect(await post(request)).toMatchObject({ status: 401, body: expect.stringMatching(/signature/) });
  });

  it("answers 410 (or 404) once the subscription expired", async () => {
    const subscription = fake.subscribe();
    fake.expire(subscription.endpoint, 410);
    expect((await post(details("x", subscription))).status).toBe(410);
    const other = fake.subscribe();
    fake.expire(other.endpoint, 404);
    expect((await post(details("x", other))).status).toBe(404);
  });
});
