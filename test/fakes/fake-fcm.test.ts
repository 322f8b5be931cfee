import { createSign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeFcm, GOOGLE_TOKEN_AUDIENCE, startFakeFcm } from "./fake-fcm";

/** The fake FCM and token endpoint refuse what Google refuses; assertions are built by hand here. */
let fake: FakeFcm;

beforeAll(async () => {
  fake = await startFakeFcm();
});
afterAll(() => fake.stop());

const now = () => Math.floor(Date.now() / 1000);
const SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

function assertion(claims: Record<string, unknown>, key = fake.serviceAccount.private_key): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "RS256", typ: "JWT", kid: fake.serviceAccount.private_key_id })}.${encode(claims)}`;
  return `${input}.${createSign("RSA-SHA256").update(input).sign(key).toString("base64url")}`;
}
const goodClaims = () => ({ iss: fake.serviceAccount.client_email, scope: SCOPE, aud: GOOGLE_TOKEN_AUDIENCE, iat: now(), exp: now() + 3600 });

async function token(claims: Record<string, unknown>) {
  const response = await fetch(`${fake.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: assertion(claims) }),
  });
  return { status: response.status, body: (await response.json()) as { access_token?: string; error?: string; error_description?: string } };
}

const send = (bearer: string | null, message: unknown, project = fake.serviceAccount.project_id) =>
  fetch(`${fake.url}/v1/projects/${project}/messages:send`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ message }),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as { name?: string; error?: { status: string; details?: unknown[] } } }));

describe("the fake Google token endpoint", () => {
  it("issues a bearer for a good assertion", async () => {
    expect((await token(goodClaims())).body.access_token).toMatch(/^ya29\./);
  });

  it.each([
    ["another issuer", { iss: "someone@else.iam.gserviceaccount.com" }, "Invalid issuer"],
    ["another audience", { aud: "https://example.com/token" }, "Invalid audience"],
    ["no FCM scope", { scope: "https://www.googleapis.com/auth/cloud-platform.read-only" }, "Invalid scope"],
    ["a lifetime over an hour", { exp: now() + 7200 }, /short-lived/],
    ["an expired assertion", { iat: now() - 7200, exp: now() - 3600 }, /short-lived/],
  ])("refuses %s with invalid_grant", async (_case, override, description) => {
    const answer = await token({ ...goodClaims(), ...override });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(description) });
  });
});

describe("the fake FCM v1 send", () => {
  it("wants a bearer it issued, the account's project, exactly one target and string data", async () => {
    const bearer = (await token(goodClaims())).body.access_token!;
    const target = fake.registerToken();
    expect((await send(null, { token: target })).body.error?.status).toBe("UNAUTHENTICATED");
    expect((await send("ya29.made-up", { token: target })).body.error?.status).toBe("UNAUTHENTICATED");
    expect((await send(bearer, { token: target }, "other-project")).body.error?.status).toBe("PERMISSION_DENIED");
    expect((await send(bearer, { token: target, topic: "news" })).status).toBe(400);
    expect((await send(bearer, { token: target, data: { n: 1 } })).status).toBe(400);
    expect((await send(bearer, { token: target, priority: "high" })).status).toBe(400);
    const ok = await send(bearer, { token: target, notification: { title: "t", body: "b" }, data: { k: "v" } });
    expect(ok).toMatchObject({ status: 200, body: { name: expect.stringMatching(/^projects\/.+\/messages\//) } });
  });

  it("answers UNREGISTERED for a token that is not (or no longer) registered", async () => {
    const bearer = (await token(goodClaims())).body.access_token!;
    const target = fake.registerToken();
    fake.unregister(target);
    const answer = await send(bearer, { token: target });
    expect(answer.status).toBe(404);
    expect(answer.body.error?.details).toContainEqual(expect.objectContaining({ errorCode: "UNREGISTERED" }));
  });
});
