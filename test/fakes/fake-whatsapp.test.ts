import { afterEach, describe, expect, it } from "vitest";
import { isValidMetaSignature } from "@/lib/providers/whatsapp/meta/meta-signature";
import { type FakeWhatsApp, startFakeWhatsApp } from "./fake-whatsapp";
import { type LoopbackServer, startLoopbackServer } from "./loopback-server";

let fake: FakeWhatsApp;
let hooks: LoopbackServer | undefined;
afterEach(async () => {
  await fake.stop();
  await hooks?.stop();
  hooks = undefined;
});

const send = (body: unknown, token = fake.accessToken, path = `/${fake.apiVersion}/${fake.phoneNumberId}/messages`) =>
  fetch(`${fake.url}${path}`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("the fake Cloud API", () => {
  it.each([
    ["no messaging_product", { to: "14155550123", type: "text", text: { body: "x" } }, 100],
    ["a recipient that is not a number", { messaging_product: "whatsapp", to: "ann", type: "text", text: { body: "x" } }, 100],
    ["an empty text", { messaging_product: "whatsapp", to: "14155550123", type: "text", text: { body: "" } }, 100],
    ["an unknown type", { messaging_product: "whatsapp", to: "14155550123", type: "fax" }, 100],
    ["a template parameter that is not text", { messaging_product: "whatsapp", to: "14155550123", type: "template", template: { name: "t", language: { code: "en" }, components: [{ type: "body", parameters: [{ type: "currency" }] }] } }, 100],
  ])("refuses %s with Graph's error shape", async (_, body, code) => {
    fake = await startFakeWhatsApp({ templates: [{ name: "t", language: "en", bodyParameters: 1 }] });
    const response = await send(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code, type: "OAuthException", fbtrace_id: expect.any(String) } });
    expect(fake.messages).toHaveLength(0);
  });

  it("checks the bearer token and the phone-number id", async () => {
    fake = await startFakeWhatsApp();
    expect((await send({}, "wrong")).status).toBe(401);
    expect(await (await send({}, fake.accessToken, `/${fake.apiVersion}/1/messages`)).json()).toMatchObject({ error: { code: 100, error_subcode: 33 } });
  });

  it("posts signed statuses, and a failure (131047) for free text sent with the window closed", async () => {
    const received: { body: string; signature: string }[] = [];
    hooks = await startLoopbackServer((req, res, body) => {
      received.push({ body, signature: String(req.headers["x-hub-signature-256"]) });
      res.writeHead(200).end();
    });
    fake = await startFakeWhatsApp({ webhookUrl: hooks.url });
    const answer = (await (await send({ messaging_product: "whatsapp", to: "+14155550123", type: "text", text: { body: "hi" } })).json()) as { messages: { id: string }[] };
    await fake.postStatus(answer.messages[0]!.id, "delivered");

    expect(received).toHaveLength(1);
    expect(isValidMetaSignature(fake.appSecret, received[0]!.body, received[0]!.signature)).toBe(true);
    const status = JSON.parse(received[0]!.body).entry[0].changes[0].value.statuses[0];
    expect(status).toMatchObject({ id: answer.messages[0]!.id, status: "failed", errors: [{ code: 131047 }] });

    await fake.postInbound("+14155550123", "hello");
    const reply = (await (await send({ messaging_product: "whatsapp", to: "14155550123", type: "text", text: { body: "hi again" } })).json()) as { messages: { id: string }[] };
    await fake.postStatus(reply.messages[0]!.id, "delivered");
    expect(JSON.parse(received[2]!.body).entry[0].changes[0].value.statuses[0]).toMatchObject({ status: "delivered" });
  });
});
