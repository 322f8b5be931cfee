import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify } from "node:crypto";
import type http from "node:http";
import { startHttpsLoopbackServer } from "./https-loopback";

/**
 * A loopback push service (RFC 8030) that checks what Chrome's, Mozilla's and Apple's check:
 * - VAPID (RFC 8292): `Authorization: vapid t=<JWT>, k=<key>` (or the older `WebPush <JWT>` with
 *   `Crypto-Key: p256ecdsa=<key>`); the JWT is ES256-signed by that key, `aud` is the endpoint's
 *   origin, `exp` is in the future and at most 24 h away, `sub` is a mailto: or https: URL; a
 *   subscription made with an applicationServerKey only takes that key.
 * - `TTL` present, `Content-Encoding: aes128gcm`, at most 4096 bytes of body (413 beyond).
 * - the payload DECRYPTS (RFC 8188 / RFC 8291) with the subscription's private key and auth
 *   secret, which only the "browser" (this fake) holds; what it decrypts is kept for tests to read.
 * Expired subscriptions answer 404 or 410, as push services do after an unsubscribe.
 */

export type FakeWebPushSubscription = { endpoint: string; keys: { p256dh: string; auth: string } };

export type FakeWebPushDelivery = {
  subscriptionId: string;
  endpoint: string;
  payload: string;
  ttl: number;
  urgency: string | null;
  topic: string | null;
  claims: { aud: string; exp: number; sub: string };
  vapidPublicKey: string;
};

export type FakeWebPushRequest = { path: string; status: number; reason: string | null };

export type FakeWebPush = {
  url: string;
  /** The fake's self-signed certificate (PEM): what the provider under test must trust (WEB_PUSH_TEST_CA). */
  certificate: string;
  deliveries: FakeWebPushDelivery[];
  requests: FakeWebPushRequest[];
  /** A new browser subscription; `applicationServerKey` restricts it to one VAPID key, as browsers do. */
  subscribe(options?: { applicationServerKey?: string }): FakeWebPushSubscription;
  /** The subscription is gone: its endpoint answers 410 (or 404, as some services do). */
  expire(endpoint: string, status?: 404 | 410): void;
  failNext(count: number, failure: { status: number; retryAfter?: string }): void;
  stop(): Promise<void>;
};

const MAX_BODY_BYTES = 4096;
const DAY_SECONDS = 24 * 60 * 60;

type Subscriber = { id: string; ecdh: ReturnType<typeof createECDH>; publicKey: Buffer; auth: Buffer; applicationServerKey: string | null; expired: 404 | 410 | null };

export async function startFakeWebPush(): Promise<FakeWebPush> {
  const subscribers = new Map<string, Subscriber>();
  const deliveries: FakeWebPushDelivery[] = [];
  const requests: FakeWebPushRequest[] = [];
  const failures: { status: number; retryAfter?: string }[] = [];
  let origin = "";

  function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const path = new URL(req.url ?? "/", origin).pathname;
    const answer = (status: number, reason: string | null, headers: Record<string, string> = {}) => {
      requests.push({ path, status, reason });
      res.writeHead(status, { "content-type": "text/plain", ...headers });
      res.end(reason ?? "");
    };
    const match = /^\/push\/([0-9a-f-]{36})$/.exec(path);
    if (req.method !== "POST" || !match) return answer(404, "no such endpoint");
    const subscriber = subscribers.get(match[1]!);
    if (!subscriber) return answer(404, "no such subscription");
    const failure = failures.shift();
    if (failure) return answer(failure.status, "injected failure", failure.retryAfter ? { "retry-after": failure.retryAfter } : {});

    const vapid = checkVapid(req, origin, subscriber.applicationServerKey);
    if (!vapid.ok) return answer(vapid.status, vapid.reason);
    if (subscriber.expired) return answer(subscriber.expired, "push subscription has unsubscribed or expired");
    const ttl = Number(req.headers.ttl);
    if (req.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0) return answer(400, "TTL header missing or invalid");
    if (body.length > MAX_BODY_BYTES) return answer(413, "payload too large");
    if (req.headers["content-encoding"] !== "aes128gcm") return answer(400, `unsupported Content-Encoding ${String(req.headers["content-encoding"])}`);
    let payload: string;
    try {
      payload = decryptAes128gcm(body, subscriber);
    } catch (error) {
      return answer(400, `payload does not decrypt: ${(error as Error).message}`);
    }
    const messageId = randomUUID();
    deliveries.push({
      subscriptionId: subscriber.id,
      endpoint: `${origin}/push/${subscriber.id}`,
      payload,
      ttl,
      urgency: (req.headers.urgency as string | undefined) ?? null,
      topic: (req.headers.topic as string | undefined) ?? null,
      claims: vapid.claims,
      vapidPublicKey: vapid.key,
    });
    answer(201, null, { location: `${origin}/message/${messageId}` });
  }

  const server = await startHttpsLoopbackServer(handle);
  origin = server.origin;
  return {
    url: server.url,
    certificate: server.certificate,
    deliveries,
    requests,
    subscribe(options = {}) {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const subscriber: Subscriber = { id: randomUUID(), ecdh, publicKey: ecdh.getPublicKey(), auth: randomBytes(16), applicationServerKey: options.applicationServerKey ?? null, expired: null };
      subscribers.set(subscriber.id, subscriber);
      return { endpoint: `${origin}/push/${subscriber.id}`, keys: { p256dh: subscriber.publicKey.toString("base64url"), auth: subscriber.auth.toString("base64url") } };
    },
    expire(endpoint, status = 410) {
      const id = endpoint.split("/").pop()!;
      const subscriber = subscribers.get(id);
      if (!subscriber) throw new Error(`fake web push: no subscription ${endpoint}`);
      subscriber.expired = status;
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    stop: () => server.stop(),
  };
}

type VapidCheck = { ok: true; claims: { aud: string; exp: number; sub: string }; key: string } | { ok: false; status: number; reason: string };

/** RFC 8292 §3 and §4, as push services apply them (401/403 for a bad or missing token). */
function checkVapid(req: http.IncomingMessage, origin: string, applicationServerKey: string | null): VapidCheck {
  const authorization = req.headers.authorization ?? "";
  let jwt: string | undefined;
  let key: string | undefined;
  const vapid = /^vapid\s+(.+)$/i.exec(authorization);
  if (vapid) {
    const params = Object.fromEntries(vapid[1]!.split(",").map((part) => part.trim().split("=") as [string, string]));
    jwt = params.t;
    key = params.k;
  } else if (/^WebPush\s+/i.test(authorization)) {
    jwt = authorization.replace(/^WebPush\s+/i, "");
    key = /p256ecdsa=([A-Za-z0-9_-]+)/.exec(String(req.headers["crypto-key"] ?? ""))?.[1];
  }
  if (!jwt || !key) return { ok: false, status: 401, reason: "missing VAPID authorization" };
  if (applicationServerKey && key !== applicationServerKey) return { ok: false, status: 403, reason: "VAPID key does not match the subscription's applicationServerKey" };
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, status: 401, reason: "malformed JWT" };
  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  let header: { alg?: string; typ?: string };
  let claims: { aud?: unknown; exp?: unknown; sub?: unknown };
  try {
    header = JSON.parse(Buffer.from(encodedHeader, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(encodedClaims, "base64url").toString("utf8"));
  } catch {
    return { ok: false, status: 401, reason: "JWT is not JSON" };
  }
  if (header.alg !== "ES256") return { ok: false, status: 401, reason: `JWT alg must be ES256, got ${String(header.alg)}` };
  const point = Buffer.from(key, "base64url");
  if (point.length !== 65 || point[0] !== 0x04) return { ok: false, status: 401, reason: "VAPID key is not an uncompressed P-256 point" };
  const publicKey = createPublicKey({ key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") }, format: "jwk" });
  const signed = verify("sha256", Buffer.from(`${encodedHeader}.${encodedClaims}`), { key: publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(encodedSignature, "base64url"));
  if (!signed) return { ok: false, status: 401, reason: "JWT signature does not verify with the VAPID key" };
  if (claims.aud !== origin) return { ok: false, status: 401, reason: `JWT aud must be ${origin}, got ${String(claims.aud)}` };
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now) return { ok: false, status: 401, reason: "JWT expired" };
  if (claims.exp > now + DAY_SECONDS) return { ok: false, status: 401, reason: "JWT exp is more than 24 hours away" };
  if (typeof claims.sub !== "string" || !/^(mailto:|https:)/.test(claims.sub)) return { ok: false, status: 401, reason: "JWT sub must be a mailto: or https: URL" };
  return { ok: true, claims: { aud: claims.aud, exp: claims.exp, sub: claims.sub }, key };
}

/**
 * RFC 8188 content coding with the RFC 8291 key derivation: header = salt(16) · rs(4) · idlen(1)
 * · keyid (the sender's ephemeral public key); the key comes from ECDH with the subscription's
 * private key and its auth secret. One record; its plaintext ends with the 0x02 delimiter and
 * optional zero padding.
 */
function decryptAes128gcm(body: Buffer, subscriber: Subscriber): string {
  if (body.length < 21) throw new Error("shorter than the aes128gcm header");
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (idLength !== 65 || senderKey[0] !== 0x04) throw new Error("keyid is not the sender's P-256 public key");
  if (recordSize < 18 || ciphertext.length > recordSize) throw new Error("record size invalid");
  const ecdhSecret = subscriber.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), subscriber.publicKey, senderKey]);
  const ikm = Buffer.from(hkdfSync("sha256", ecdhSecret, subscriber.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end -= 1;
  if (end < 0 || plain[end] !== 0x02) throw new Error("last record lacks the 0x02 padding delimiter");
  return plain.subarray(0, end).toString("utf8");
}
