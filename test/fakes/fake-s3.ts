import { createHash, randomBytes } from "node:crypto";
import type http from "node:http";
import aws4 from "aws4";
import { type LoopbackServer, startLoopbackServer } from "./loopback-server";

/**
 * A loopback stand-in for the S3 REST API, path-style (`/<bucket>/<key>`), covering what
 * lib/storage/s3 sends through the AWS SDK: PutObject, the multipart calls
 * (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload),
 * GetObject, HeadObject and DeleteObject. Like S3 it checks every request before acting on it:
 * the access key, the SigV4 signature (recomputed with the `aws4` package over the headers the
 * client says it signed), the credential scope's region, the clock skew and a signed payload's
 * SHA-256; and, on completion, the part list (ascending, known ETags, every part but the last at
 * least 5 MiB). Errors are S3's XML bodies with S3's codes and statuses.
 */

export type FakeS3Options = {
  port?: number;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  /** Buckets that exist; a request for any other answers 404 NoSuchBucket. */
  buckets?: string[];
};

export type FakeS3Request = { method: string; path: string; operation: string; status: number };

export type FakeS3 = {
  url: string;
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Stored objects by "<bucket>/<key>". */
  objects: Map<string, Buffer>;
  /** Multipart uploads begun and neither completed nor aborted, by upload id. */
  uploads: Map<string, { bucket: string; key: string; parts: Map<number, { data: Buffer; etag: string }> }>;
  requests: FakeS3Request[];
  stop(): Promise<void>;
};

/** S3's floor for every part but the last (EntityTooSmall on completion otherwise). */
const MIN_PART_BYTES = 5 * 1024 * 1024;
/** S3 refuses a request signed more than 15 minutes away from its clock (RequestTimeTooSkewed). */
const MAX_SKEW_MS = 15 * 60 * 1000;

const md5 = (data: Buffer) => createHash("md5").update(data).digest("hex");
const xmlEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function amzDateMs(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return match ? Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +match[6]!) : Number.NaN;
}

export async function startFakeS3(options: FakeS3Options = {}): Promise<FakeS3> {
  const accessKeyId = options.accessKeyId ?? `AKIA${randomBytes(8).toString("hex").toUpperCase()}`;
  const secretAccessKey = options.secretAccessKey ?? randomBytes(20).toString("base64");
  const region = options.region ?? "eu-west-1";
  const buckets = new Set(options.buckets ?? ["uploads"]);
  const objects = new Map<string, Buffer>();
  const uploads: FakeS3["uploads"] = new Map();
  const requests: FakeS3Request[] = [];

  /** Why S3 would refuse this request's authentication, or null when it verifies. */
  function authProblem(req: http.IncomingMessage, raw: Buffer): { status: number; code: string; message: string } | null {
    const authorization = String(req.headers.authorization ?? "");
    const parsed = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!parsed) return { status: 403, code: "AccessDenied", message: "Access Denied" };
    const [, keyId, day, scopeRegion, signedHeaderList, signature] = parsed;
    if (keyId !== accessKeyId) return { status: 403, code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records." };
    if (scopeRegion !== region) return { status: 400, code: "AuthorizationHeaderMalformed", message: `the region '${scopeRegion}' is wrong; expecting '${region}'` };
    const amzDate = String(req.headers["x-amz-date"] ?? "");
    const signedAt = amzDateMs(amzDate);
    if (Number.isNaN(signedAt) || !amzDate.startsWith(day!)) return { status: 403, code: "AccessDenied", message: "X-Amz-Date is missing or does not match the credential scope" };
    if (Math.abs(Date.now() - signedAt) > MAX_SKEW_MS) return { status: 403, code: "RequestTimeTooSkewed", message: "The difference between the request time and the current time is too large." };
    const signedNames = signedHeaderList!.split(";");
    for (const required of ["host", "x-amz-date", "x-amz-content-sha256"]) {
      if (!signedNames.includes(required)) return { status: 403, code: "AccessDenied", message: `${required} must be signed` };
    }
    const headers: Record<string, string> = {};
    for (const name of signedNames) {
      const value = req.headers[name];
      if (value === undefined) return { status: 403, code: "SignatureDoesNotMatch", message: `signed header ${name} is missing` };
      headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    // No body handed to aws4: it would add a Content-Type the client never sent. The payload is
    // covered by x-amz-content-sha256, checked below.
    const expected = aws4.sign({ method: req.method, host: req.headers.host, path: req.url, headers, service: "s3", region }, { accessKeyId, secretAccessKey });
    const expectedSignature = /Signature=([0-9a-f]{64})$/.exec(String(expected.headers?.Authorization ?? ""))?.[1];
    if (expectedSignature !== signature) {
      return { status: 403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided. Check your key and signing method." };
    }
    const payloadHash = headers["x-amz-content-sha256"]!;
    if (payloadHash === "UNSIGNED-PAYLOAD") return null;
    if (!/^[0-9a-f]{64}$/.test(payloadHash)) return { status: 501, code: "NotImplemented", message: `this fake does not take ${payloadHash} bodies` };
    if (createHash("sha256").update(raw).digest("hex") !== payloadHash) {
      return { status: 400, code: "XAmzContentSHA256Mismatch", message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
    }
    return null;
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, _text: string, raw: Buffer): void {
    const url = new URL(req.url ?? "/", "http://fake-s3");
    const method = req.method ?? "GET";
    const [bucket = "", ...keyParts] = url.pathname.slice(1).split("/").map(decodeURIComponent);
    const key = keyParts.join("/");
    const query = url.searchParams;
    const operation =
      method === "POST" && query.has("uploads") ? "CreateMultipartUpload"
      : method === "PUT" && query.has("uploadId") ? "UploadPart"
      : method === "POST" && query.has("uploadId") ? "CompleteMultipartUpload"
      : method === "DELETE" && query.has("uploadId") ? "AbortMultipartUpload"
      : method === "PUT" ? "PutObject"
      : method === "GET" ? "GetObject"
      : method === "HEAD" ? "HeadObject"
      : method === "DELETE" ? "DeleteObject"
      : "Unknown";
    const answer = (status: number, body: string | Buffer = "", headers: Record<string, string | number> = {}) => {
      requests.push({ method, path: url.pathname, operation, status });
      res.writeHead(status, { ...(body.length > 0 ? { "content-type": "application/xml" } : {}), ...headers });
      res.end(method === "HEAD" ? undefined : body);
    };
    const fail = (status: number, code: string, message: string) =>
      answer(status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>${randomBytes(8).toString("hex")}</RequestId></Error>`);

    const refused = authProblem(req, raw);
    if (refused) return fail(refused.status, refused.code, refused.message);
    if (!buckets.has(bucket)) return fail(404, "NoSuchBucket", "The specified bucket does not exist");
    if (!key) return fail(501, "NotImplemented", "bucket operations are not faked");
    const objectId = `${bucket}/${key}`;
    const upload = query.has("uploadId") ? uploads.get(query.get("uploadId")!) : undefined;
    if (query.has("uploadId") && (!upload || upload.bucket !== bucket || upload.key !== key)) {
      return fail(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    }

    // Conditional writes (S3 since 2024): If-None-Match takes only "*", and a taken key refuses the
    // object (on PutObject, and at CompleteMultipartUpload, where the object comes into being).
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch !== undefined && (operation === "PutObject" || operation === "CompleteMultipartUpload")) {
      if (ifNoneMatch !== "*") return fail(501, "NotImplemented", "A header you provided implies functionality that is not implemented");
      if (objects.has(objectId)) return fail(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
    }

    switch (operation) {
      case "PutObject":
        objects.set(objectId, raw);
        return answer(200, "", { etag: `"${md5(raw)}"` });
      case "CreateMultipartUpload": {
        const uploadId = randomBytes(16).toString("hex");
        uploads.set(uploadId, { bucket, key, parts: new Map() });
        return answer(200, `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`);
      }
      case "UploadPart": {
        const partNumber = Number(query.get("partNumber"));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) return fail(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
        const etag = `"${md5(raw)}"`;
        upload!.parts.set(partNumber, { data: raw, etag });
        return answer(200, "", { etag });
      }
      case "CompleteMultipartUpload": {
        const listed = [...raw.toString("utf8").matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part]) => ({
          number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part!)?.[1]),
          etag: /<ETag>([^<]*)<\/ETag>/.exec(part!)?.[1]?.replace(/&quot;/g, '"'),
        }));
        if (listed.length === 0) return fail(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
        for (const [index, part] of listed.entries()) {
          if (index > 0 && part.number <= listed[index - 1]!.number) return fail(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
          const stored = upload!.parts.get(part.number);
          if (!stored || stored.etag !== part.etag) return fail(400, "InvalidPart", "One or more of the specified parts could not be found.");
          if (index < listed.length - 1 && stored.data.length < MIN_PART_BYTES) return fail(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
        }
        const parts = listed.map((part) => upload!.parts.get(part.number)!);
        objects.set(objectId, Buffer.concat(parts.map((part) => part.data)));
        uploads.delete(query.get("uploadId")!);
        const etag = `"${md5(Buffer.concat(parts.map((part) => Buffer.from(part.etag.slice(1, -1), "hex"))))}-${parts.length}"`;
        return answer(200, `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`);
      }
      case "AbortMultipartUpload":
        uploads.delete(query.get("uploadId")!);
        return answer(204);
      case "GetObject":
      case "HeadObject": {
        const object = objects.get(objectId);
        if (!object) return method === "HEAD" ? answer(404) : fail(404, "NoSuchKey", "The specified key does not exist.");
        return answer(200, method === "HEAD" ? "" : object, { "content-length": object.length, etag: `"${md5(object)}"`, "content-type": "binary/octet-stream" });
      }
      case "DeleteObject":
        // S3 answers 204 whether or not the key existed.
        objects.delete(objectId);
        return answer(204);
      default:
        return fail(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    }
  }

  const server: LoopbackServer = await startLoopbackServer(handle, options.port ?? 0);
  return { url: server.url, port: server.port, accessKeyId, secretAccessKey, region, objects, uploads, requests, stop: () => server.stop() };
}
