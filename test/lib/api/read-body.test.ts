import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { readBodyText } from "@/lib/api/read-body";
import { readJson } from "@/lib/api/route";

const MIB = 1024 * 1024;

/** A body that never ends by itself, counting what was pulled from it. */
function endlessBody(chunkBytes = 64 * 1024) {
  const counter = { pulledBytes: 0, cancelled: false };
  const chunk = new TextEncoder().encode(`"${"x".repeat(chunkBytes - 2)}"`);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulledBytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      counter.cancelled = true;
    },
  });
  return { stream, counter };
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/v1/anything", { method: "POST", body, headers: { "content-type": "application/json", ...headers }, duplex: "half" } as RequestInit);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("readBodyText", () => {
  it("reads a body under the cap whole", async () => {
    expect(await readBodyText(post('{"a":"é"}'), 1024)).toEqual({ ok: true, text: '{"a":"é"}' });
  });

  it("stops at the cap of an endless chunked body (no Content-Length) and cancels it", async () => {
    const { stream, counter } = endlessBody();
    expect(await readBodyText(post(stream), MIB)).toEqual({ ok: false, limitBytes: MIB });
    expect(counter.cancelled).toBe(true);
    // At most the cap plus the chunk that crossed it, and the stream's small read-ahead.
    expect(counter.pulledBytes).toBeLessThan(MIB + 4 * 64 * 1024);
  });

  it("stops at the cap when Content-Length lies low", async () => {
    const { stream, counter } = endlessBody();
    const request = post(stream);
    Object.defineProperty(request, "headers", { value: new Headers({ "content-length": "10" }) });
    expect(await readBodyText(request, MIB)).toEqual({ ok: false, limitBytes: MIB });
    expect(counter.pulledBytes).toBeLessThan(MIB + 4 * 64 * 1024);
  });

  it("refuses a declared Content-Length over the cap before reading anything", async () => {
    const { stream, counter } = endlessBody();
    expect(await readBodyText(post(stream, { "content-length": String(200 * MIB) }), MIB)).toEqual({ ok: false, limitBytes: MIB });
    expect(counter.pulledBytes).toBeLessThanOrEqual(64 * 1024);
  });
});

describe("readJson", () => {
  const schema = z.object({ name: z.string() });

  it("answers 413 naming the cap for a JSON body past API_MAX_BODY_BYTES, however it is sent", async () => {
    const big = JSON.stringify({ name: "x".repeat(2 * MIB) });
    for (const request of [post(big), post(endlessBody().stream)]) {
      const result = await readJson(request, schema);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.response.status).toBe(413);
      expect(await result.response.json()).toEqual({ error: { code: "payload_too_large", message: "Request bodies are limited to 1 MiB" } });
    }
  });

  it("follows API_MAX_BODY_BYTES", async () => {
    vi.stubEnv("API_MAX_BODY_BYTES", "2048");
    const result = await readJson(post(JSON.stringify({ name: "x".repeat(4096) })), schema);
    expect(result.ok ? 200 : result.response.status).toBe(413);
    expect((await readJson(post(JSON.stringify({ name: "x".repeat(1000) })), schema)).ok).toBe(true);
  });

  it("answers 400 for malformed JSON", async () => {
    const result = await readJson(post("{not json"), schema);
    expect(result.ok ? 200 : result.response.status).toBe(400);
  });
});
