import { createHash } from "node:crypto";
import aws4 from "aws4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeS3, startFakeS3 } from "./fake-s3";

let fake: FakeS3;
beforeAll(async () => {
  fake = await startFakeS3();
});
afterAll(() => fake.stop());

/** A request signed with aws4 (independently of the SDK the app uses), then sent with fetch. */
function signed(method: string, path: string, body: string, secretAccessKey = fake.secretAccessKey) {
  const host = new URL(fake.url).host;
  const headers = { "x-amz-content-sha256": createHash("sha256").update(body).digest("hex"), "content-type": "text/plain" };
  const request = aws4.sign({ method, host, path, headers, service: "s3", region: fake.region, body }, { accessKeyId: fake.accessKeyId, secretAccessKey });
  return { url: `${fake.url}${path}`, init: { method, headers: request.headers as Record<string, string>, body: method === "GET" ? undefined : body } };
}

async function send({ url, init }: ReturnType<typeof signed>) {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
}

describe("startFakeS3", () => {
  it("listens on loopback only", () => {
    expect(new URL(fake.url).hostname).toBe("127.0.0.1");
  });

  it("stores and returns an object for a correctly signed request", async () => {
    expect((await send(signed("PUT", "/uploads/a/b", "hello"))).status).toBe(200);
    expect(await send(signed("GET", "/uploads/a/b", ""))).toEqual({ status: 200, text: "hello" });
  });

  it("refuses a signature made with another secret: 403 SignatureDoesNotMatch", async () => {
    const answer = await send(signed("PUT", "/uploads/forged", "x", "not-the-secret"));
    expect(answer.status).toBe(403);
    expect(answer.text).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(fake.objects.has("uploads/forged")).toBe(false);
  });

  it("refuses a request altered after signing: a signed header, the path, or the body", async () => {
    const header = signed("PUT", "/uploads/altered", "x");
    header.init.headers["content-type"] = "text/html";
    expect(await send(header)).toMatchObject({ status: 403, text: expect.stringContaining("SignatureDoesNotMatch") });

    const path = signed("PUT", "/uploads/altered", "x");
    expect(await send({ ...path, url: `${fake.url}/uploads/elsewhere` })).toMatchObject({ status: 403, text: expect.stringContaining("SignatureDoesNotMatch") });

    const body = signed("PUT", "/uploads/altered", "x");
    expect(await send({ ...body, init: { ...body.init, body: "y" } })).toMatchObject({ status: 400, text: expect.stringContaining("XAmzContentSHA256Mismatch") });
    expect(fake.objects.has("uploads/altered")).toBe(false);
  });

  it("refuses an unknown access key, and a scope for another region", async () => {
    const strangers = await startFakeS3();
    const elsewhere = await startFakeS3({ region: "us-west-2", accessKeyId: fake.accessKeyId, secretAccessKey: fake.secretAccessKey });
    try {
      const request = signed("PUT", "/uploads/x", "x");
      expect(await send({ ...request, url: `${strangers.url}/uploads/x` })).toMatchObject({ status: 403, text: expect.stringContaining("InvalidAccessKeyId") });
      expect(await send({ ...request, url: `${elsewhere.url}/uploads/x` })).toMatchObject({ status: 400, text: expect.stringContaining("AuthorizationHeaderMalformed") });
    } finally {
      await strangers.stop();
      await elsewhere.stop();
    }
  });

  it("answers a missing key with 404 NoSuchKey and an unknown bucket with 404 NoSuchBucket", async () => {
    expect(await send(signed("GET", "/uploads/nothing-here", ""))).toMatchObject({ status: 404, text: expect.stringContaining("NoSuchKey") });
    expect(await send(signed("GET", "/other-bucket/x", ""))).toMatchObject({ status: 404, text: expect.stringContaining("NoSuchBucket") });
  });

  it("completes a multipart upload only with every part but the last at least 5 MiB", async () => {
    const created = await send(signed("POST", "/uploads/multi?uploads", ""));
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.text)![1]!;
    const part = (n: number, body: string) => {
      const { url, init } = signed("PUT", `/uploads/multi?partNumber=${n}&uploadId=${uploadId}`, body);
      return fetch(url, init);
    };
    const etags = [(await part(1, "small")).headers.get("etag"), (await part(2, "end")).headers.get("etag")];
    const complete = `<CompleteMultipartUpload>${etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
    expect(await send(signed("POST", `/uploads/multi?uploadId=${uploadId}`, complete))).toMatchObject({ status: 400, text: expect.stringContaining("EntityTooSmall") });
    expect((await send(signed("DELETE", `/uploads/multi?uploadId=${uploadId}`, ""))).status).toBe(204);
    expect(fake.uploads.has(uploadId)).toBe(false);
  });
});
