import { z } from "zod";

/**
 * Every environment variable Sendline reads, once: its type, its default and what it means in
 * plain words. Values come in as strings (or not at all); a blank value counts as unset, as
 * `FOO=` in an env file means "not configured" to everyone who writes one.
 *
 * Validation is per variable, so one bad value is reported by name and never hides another,
 * and code that reads one variable (envValue) is not broken by a typo in an unrelated one.
 * The README's table is generated from this list (scripts/env-table.ts) and a test keeps the
 * two the same.
 */

export const ENV_GROUPS = {
  app: "The app",
  database: "Database",
  inngest: "Inngest",
  engine: "Local engine (development and CI)",
  email: "Email",
  sms: "SMS",
  whatsapp: "WhatsApp",
  push: "Push (Web Push and FCM)",
  campaigns: "Campaigns",
  enrichment: "Enrichment",
  analytics: "Analytics and campaign guards",
  ai: "AI recommendations",
  seals: "Sealed metrics",
  backups: "Backups",
  lifecycle: "Data lifecycle",
  files: "Files",
  imports: "Imports",
  mailbox: "Mailbox sync",
  exports: "Exports",
  retention: "Retention and temporary data",
  tracking: "Tracking and unsubscribe links",
  observability: "Metrics, logs and traces",
  tests: "Tests",
} as const;

export type EnvGroup = keyof typeof ENV_GROUPS;

export type EnvVariable<S extends z.ZodType = z.ZodType> = {
  schema: S;
  group: EnvGroup;
  /** What the variable does, for the README and start-up messages. */
  description: string;
  /** What happens when it is unset, in words (the README's "default" column). */
  fallback: string;
  /** Never printed, logged or returned by an endpoint, even inside an error message. */
  secret?: boolean;
};

const blankAsUnset = (value: unknown): unknown => {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
};

const optionalText = () => z.preprocess(blankAsUnset, z.string().optional());

function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (value) => (typeof value === "string" ? (blankAsUnset(value) as string | undefined)?.toLowerCase() : value),
    z.enum(values, { error: `is not one of: ${values.join(", ")}` }).optional(),
  );
}

/** A comma-separated, ordered list of distinct choices ("resend,smtp"); unset when blank. */
function choiceList<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (value) => (typeof value === "string" ? (blankAsUnset(value) as string | undefined)?.toLowerCase().split(",").map((item) => item.trim()) : value),
    z
      .array(z.enum(values, { error: `lists something other than: ${values.join(", ")}` }))
      .min(1)
      .refine((items) => new Set(items).size === items.length, "names a provider twice")
      .optional(),
  );
}

function url(protocols: readonly string[]) {
  const rule = protocols.includes("http:") ? "must be an http(s) URL" : protocols.includes("smtp:") ? "must be an smtp:// or smtps:// URL" : "must be a postgres:// URL";
  return z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, rule)
      .optional(),
  );
}

/** A number with a unit in its name (…_MS, …_MINUTES): whole unless `fractional`, inside [min, max]. */
/** A cron expression (five or six fields), optionally after `TZ=<zone> `, as Inngest's cron triggers take it. */
function cronSchedule(fallback: string) {
  return z.preprocess(blankAsUnset, z.string().optional()).transform((raw, ctx) => {
    const value = raw ?? fallback;
    const fields = value.replace(/^TZ=\S+\s+/, "").trim().split(/\s+/);
    if (fields.length < 5 || fields.length > 6 || !fields.every((field) => /^[\d*/,\-A-Za-z?LW#]+$/.test(field))) {
      ctx.addIssue({ code: "custom", message: "must be a cron expression such as `TZ=UTC 30 2 * * *`" });
      return z.NEVER;
    }
    return value;
  });
}

function amount(options: { fallback: number; min: number; max?: number; fractional?: boolean }) {
  const { fallback, min, max = Number.MAX_SAFE_INTEGER, fractional = false } = options;
  const kind = fractional ? "a number" : "a whole number";
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return z.preprocess(blankAsUnset, z.string().optional()).transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || (!fractional && !Number.isInteger(value)) || value < min || value > max) {
      ctx.addIssue({ code: "custom", message: `must be ${kind} ${range}` });
      return z.NEVER;
    }
    return value;
  });
}

/** A whole number that may be left unset (the feature it sizes is then off). */
function optionalAmount(options: { min: number; max: number }) {
  return z.preprocess(blankAsUnset, z.string().optional()).transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < options.min || value > options.max) {
      ctx.addIssue({ code: "custom", message: `must be a whole number from ${options.min} to ${options.max}` });
      return z.NEVER;
    }
    return value;
  });
}

const flag = () =>
  z.preprocess(blankAsUnset, z.enum(["1", "0", "true", "false"], { error: 'must be "1" or "0"' }).optional()).transform((value) => value === "1" || value === "true");

const variable = <S extends z.ZodType>(schema: S, meta: Omit<EnvVariable<S>, "schema">): EnvVariable<S> => ({ schema, ...meta });

const MIB = 1024 * 1024;

export const ENV_VARIABLES = {
  // ---- the app
  PORT: variable(amount({ fallback: 3000, min: 1, max: 65_535 }), {
    group: "app",
    description: "The app's port under `npm run dev` (and `next start`)",
    fallback: "`3000`",
  }),
  PUBLIC_URL: variable(url(["http:", "https:"]), {
    group: "app",
    description:
      "The app's public address, used in tracking and unsubscribe links and to verify Twilio signatures; required in production (https for one-click unsubscribe)",
    fallback: "`http://localhost:$PORT` outside production",
  }),
  DASHBOARD_USER: variable(optionalText(), { group: "app", description: "User name for the dashboard's HTTP Basic auth", fallback: "`admin`" }),
  DASHBOARD_PASSWORD: variable(optionalText(), {
    group: "app",
    description: "Puts the dashboard behind HTTP Basic auth; required in production",
    fallback: "open in development, disabled in production",
    secret: true,
  }),
  BUILD_STANDALONE: variable(flag(), {
    group: "app",
    description:
      "`npm run build` also writes Next's standalone output (`.next/standalone`, what the Dockerfile runs with `node server.js`); off by default because `next start` warns on such a build",
    fallback: "unset",
  }),
  API_MAX_BODY_BYTES: variable(amount({ fallback: 1 * MIB, min: 1024, max: 64 * MIB }), {
    group: "app",
    description: "Largest JSON body an API route (or webhook) reads; a larger one is refused with 413 without being read whole",
    fallback: "`1048576` (1 MiB)",
  }),

  // ---- database
  DATABASE_URL: variable(url(["postgres:", "postgresql:"]), {
    group: "database",
    description: "PostgreSQL connection string (postgres.js)",
    fallback: "embedded PGlite under `.data/`",
    secret: true,
  }),
  DATABASE_POOL_MAX: variable(amount({ fallback: 10, min: 1, max: 1000 }), {
    group: "database",
    description: "Connections per app instance",
    fallback: "`10`",
  }),
  DATABASE_TRANSACTION_POOLER: variable(flag(), {
    group: "database",
    description:
      "`1` when `DATABASE_URL` goes through a transaction-mode pooler (PgBouncer `pool_mode=transaction` before 1.21, Supabase's port 6543, …): no named prepared statements, which such a pooler cannot keep on one server connection",
    fallback: "unset (prepared statements)",
  }),
  SENDLINE_DATA_DIR: variable(optionalText(), {
    group: "database",
    description:
      "Where embedded state lives (PGlite files, the engine's database, local uploads); in production, setting it is the opt-in to uploads on local disk (one instance with a persistent volume) instead of `S3_BUCKET`",
    fallback: "`.data`",
  }),
  SENDLINE_DB_PORT: variable(amount({ fallback: 0, min: 0, max: 65_535 }), {
    group: "database",
    description: "Port of the embedded database server while `npm run dev` runs",
    fallback: "a free port",
  }),

  // ---- inngest
  INNGEST_DEV: variable(optionalText(), {
    group: "inngest",
    description: "URL of a dev server (the engine or the official one); selects dev mode",
    fallback: "set by `npm run dev`",
  }),
  INNGEST_SIGNING_KEY: variable(optionalText(), {
    group: "inngest",
    description: "Inngest Cloud signing key; required for production builds and servers",
    fallback: "—",
    secret: true,
  }),
  INNGEST_SIGNING_KEY_FALLBACK: variable(optionalText(), {
    group: "inngest",
    description: "The previous signing key while rotating",
    fallback: "—",
    secret: true,
  }),
  INNGEST_EVENT_KEY: variable(optionalText(), {
    group: "inngest",
    description: "Inngest Cloud event key; the local engine checks it on `/e/:key` when it is set in the engine's environment",
    fallback: "—",
    secret: true,
  }),
  INNGEST_SERVE_ORIGIN: variable(url(["http:", "https:"]), {
    group: "inngest",
    description:
      "The origin Inngest calls the app at, registered on every sync whatever the request's Host says (self-hosted Inngest beside the app: `http://app:3000`)",
    fallback: "`PUBLIC_URL`'s origin in production",
  }),
  INNGEST_BASE_URL: variable(url(["http:", "https:"]), {
    group: "inngest",
    description: "A self-hosted Inngest server's URL",
    fallback: "Inngest Cloud",
  }),

  // ---- the local engine
  ENGINE_PORT: variable(amount({ fallback: 8288, min: 0, max: 65_535 }), {
    group: "engine",
    description: "Where the local engine listens",
    fallback: "`8288`",
  }),
  ENGINE_HOST: variable(optionalText(), { group: "engine", description: "The local engine's bind address", fallback: "`127.0.0.1`" }),
  ENGINE_APP_URL: variable(optionalText(), {
    group: "engine",
    description: "The serve URL(s) the engine syncs, comma-separated",
    fallback: "`http://127.0.0.1:$PORT/api/inngest`",
  }),
  ENGINE_DATABASE_URL: variable(url(["postgres:", "postgresql:"]), {
    group: "engine",
    description: "The engine's state",
    fallback: "`DATABASE_URL` (schema `inngest_engine`), else PGlite under `.data/engine`",
    secret: true,
  }),
  ENGINE_ALLOW_NON_LOOPBACK: variable(flag(), {
    group: "engine",
    description: "Let the engine call and register app URLs that are not loopback",
    fallback: "unset (loopback only)",
  }),

  // ---- email
  EMAIL_PROVIDER: variable(choice(["outbox", "resend", "smtp"]), {
    group: "email",
    description: "Force one provider: `outbox`, `resend` or `smtp` (`EMAIL_PROVIDERS` takes precedence)",
    fallback: "`resend` when `RESEND_API_KEY` is set, else `outbox`",
  }),
  EMAIL_PROVIDERS: variable(choiceList(["outbox", "resend", "smtp"]), {
    group: "email",
    description:
      "Ordered email providers, comma-separated (`resend,smtp`): each message goes to the first whose circuit breaker is closed, and to the next only when the first certainly did not take it",
    fallback: "the one provider `EMAIL_PROVIDER` chooses",
  }),
  SMTP_URL: variable(url(["smtp:", "smtps:"]), {
    group: "email",
    description: "SMTP server for the `smtp` provider, `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS)",
    fallback: "—",
    secret: true,
  }),
  SMTP_MAX_CONNECTIONS: variable(amount({ fallback: 5, min: 1, max: 100 }), {
    group: "email",
    description: "Pooled connections to the SMTP server per app instance (a batch's messages share them)",
    fallback: "`5`",
  }),
  SMTP_TIMEOUT_MS: variable(amount({ fallback: 15_000, min: 1 }), {
    group: "email",
    description: "How long an SMTP connection may stay silent (connecting, greeting or any reply) before the send counts as failed",
    fallback: "`15000`",
  }),
  PROVIDER_BREAKER_FAILURES: variable(amount({ fallback: 5, min: 1, max: 10_000 }), {
    group: "email",
    description: "Failures (5xx, timeouts, connection errors; never a rejected recipient or a 429) within the window that open a provider's circuit breaker",
    fallback: "`5`",
  }),
  PROVIDER_BREAKER_WINDOW_MS: variable(amount({ fallback: 60_000, min: 1 }), {
    group: "email",
    description: "The window in which a provider's failures are counted",
    fallback: "`60000`",
  }),
  PROVIDER_BREAKER_COOLDOWN_MS: variable(amount({ fallback: 30_000, min: 1 }), {
    group: "email",
    description: "How long an open circuit breaker refuses calls before one trial call may test the provider again",
    fallback: "`30000`",
  }),
  EMAIL_FROM: variable(optionalText(), {
    group: "email",
    description: "Sender when a workspace sets none",
    fallback: "`Sendline <no-reply@sendline.localhost>`",
  }),
  RESEND_API_KEY: variable(optionalText(), { group: "email", description: "Sends email through Resend", fallback: "—", secret: true }),
  RESEND_BASE_URL: variable(url(["http:", "https:"]), {
    group: "email",
    description: "Override of Resend's API address (tests point it at a loopback fake)",
    fallback: "Resend's API",
  }),
  RESEND_TIMEOUT_MS: variable(amount({ fallback: 15_000, min: 1 }), {
    group: "email",
    description: "How long one Resend call may take before it counts as failed (and is retried with the same idempotency key)",
    fallback: "`15000`",
  }),
  WEBHOOK_REQUESTS_PER_SECOND_PER_IP: variable(amount({ fallback: 5_000, min: 1 }), {
    group: "app",
    description: "Requests one client address may make to `/api/webhooks/*` per second (per app process) before it is answered 429 with Retry-After",
    fallback: "`5000`",
  }),
  RESEND_WEBHOOK_SECRET: variable(optionalText(), {
    group: "email",
    description: "The `whsec_…` signing secret of the Resend webhook endpoint; `/api/webhooks/resend` answers 503 without it",
    fallback: "—",
    secret: true,
  }),

  // ---- sms
  SMS_PROVIDER: variable(choice(["outbox", "twilio"]), {
    group: "sms",
    description: "Force `outbox` or `twilio`",
    fallback: "`twilio` when Twilio credentials are set, else `outbox`",
  }),
  TWILIO_ACCOUNT_SID: variable(optionalText(), { group: "sms", description: "Twilio account SID (sending SMS)", fallback: "—" }),
  TWILIO_AUTH_TOKEN: variable(optionalText(), {
    group: "sms",
    description: "Twilio auth token: sends SMS (with the SID and sender) and verifies Twilio's webhooks",
    fallback: "—",
    secret: true,
  }),
  TWILIO_FROM: variable(optionalText(), { group: "sms", description: "The sending number (E.164) or messaging service", fallback: "—" }),
  TWILIO_BASE_URL: variable(url(["http:", "https:"]), {
    group: "sms",
    description: "Override of Twilio's API address (tests point it at a loopback fake)",
    fallback: "Twilio's API",
  }),
  TWILIO_STATUS_CALLBACK_URL: variable(url(["http:", "https:"]), {
    group: "sms",
    description:
      "Where Twilio posts delivery status (`<PUBLIC_URL>/api/webhooks/twilio`); its origin stands in for `PUBLIC_URL` when verifying Twilio signatures if `PUBLIC_URL` is unset",
    fallback: "—",
  }),

  // ---- whatsapp
  WHATSAPP_PROVIDER: variable(choice(["outbox", "meta", "twilio"]), {
    group: "whatsapp",
    description: "Force `outbox`, `meta` (the WhatsApp Business Cloud API) or `twilio` (Twilio's WhatsApp sender, with the `TWILIO_*` credentials)",
    fallback: "`meta` when `WHATSAPP_ACCESS_TOKEN` or `WHATSAPP_PHONE_NUMBER_ID` is set, `twilio` when `TWILIO_WHATSAPP_FROM` is, else `outbox`",
  }),
  WHATSAPP_ACCESS_TOKEN: variable(optionalText(), {
    group: "whatsapp",
    description: "The Cloud API's bearer token (a system user's permanent token)",
    fallback: "—",
    secret: true,
  }),
  WHATSAPP_PHONE_NUMBER_ID: variable(optionalText(), { group: "whatsapp", description: "The Cloud API id of the sending business phone number (not the number itself)", fallback: "—" }),
  WHATSAPP_API_VERSION: variable(optionalText(), { group: "whatsapp", description: "The Graph API version in request paths", fallback: "`v21.0`" }),
  WHATSAPP_BASE_URL: variable(url(["http:", "https:"]), {
    group: "whatsapp",
    description: "Override of the Graph API's address (tests point it at a loopback fake)",
    fallback: "`https://graph.facebook.com`",
  }),
  WHATSAPP_APP_SECRET: variable(optionalText(), {
    group: "whatsapp",
    description: "The Meta app's secret: verifies `X-Hub-Signature-256` on `/api/webhooks/whatsapp`, which answers 503 without it",
    fallback: "—",
    secret: true,
  }),
  WHATSAPP_WEBHOOK_VERIFY_TOKEN: variable(optionalText(), {
    group: "whatsapp",
    description: "The verify token typed into the Meta app's webhook settings; answers the `GET` subscription handshake",
    fallback: "—",
    secret: true,
  }),
  TWILIO_WHATSAPP_FROM: variable(optionalText(), {
    group: "whatsapp",
    description: "Twilio's WhatsApp sender, E.164 (`+14155238886`) or `whatsapp:+…`; uses `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`",
    fallback: "—",
  }),

  // ---- push
  PUSH_PROVIDER: variable(choice(["outbox", "services"]), {
    group: "push",
    description:
      "`services` sends browser subscriptions through Web Push and FCM tokens through FCM; `outbox` keeps every push in the local outbox",
    fallback: "`services` when VAPID keys or an FCM service account are set, else `outbox`",
  }),
  WEB_PUSH_VAPID_PUBLIC_KEY: variable(optionalText(), {
    group: "push",
    description: "VAPID public key (base64url, `npx web-push generate-vapid-keys`): pages subscribe with it (`GET /api/v1/push/vapid-public-key`)",
    fallback: "a development pair generated once under the data directory (required in production)",
  }),
  WEB_PUSH_VAPID_PRIVATE_KEY: variable(optionalText(), {
    group: "push",
    description: "VAPID private key (base64url), signs every Web Push request; set with the public key",
    fallback: "the development pair",
    secret: true,
  }),
  WEB_PUSH_VAPID_SUBJECT: variable(optionalText(), {
    group: "push",
    description: "A `mailto:` or `https:` contact push services may use to reach you, sent in the VAPID JWT (`sub`)",
    fallback: "`mailto:push@sendline.localhost` outside production",
  }),
  FCM_SERVICE_ACCOUNT: variable(optionalText(), {
    group: "push",
    description:
      "A Firebase service account key (the JSON itself, or a path to the file) with the Firebase Cloud Messaging permission; its `project_id` names the FCM project",
    fallback: "— (FCM tokens go to the outbox)",
    secret: true,
  }),
  FCM_BASE_URL: variable(url(["http:", "https:"]), {
    group: "push",
    description: "Override of the FCM HTTP v1 API address (tests point it at a loopback fake; the token endpoint follows the service account's `token_uri`)",
    fallback: "`https://fcm.googleapis.com`",
  }),

  // ---- campaigns
  EMAIL_PROVIDER_RPS: variable(amount({ fallback: 2, min: 0.001, max: 1_000, fractional: true }), {
    group: "campaigns",
    description: "Email provider requests per second per account (campaign pacing)",
    fallback: "`2`",
  }),
  EMAIL_BATCH_SIZE: variable(amount({ fallback: 100, min: 1, max: 100 }), {
    group: "campaigns",
    description: "Emails per batch call (Resend's maximum)",
    fallback: "`100`",
  }),
  SMS_SENDER_MPS: variable(amount({ fallback: 1, min: 0.001, max: 1_000, fractional: true }), {
    group: "campaigns",
    description: "SMS segments per second per sender (a Twilio long code)",
    fallback: "`1`",
  }),
  CAMPAIGN_CHUNK_SIZE: variable(amount({ fallback: 1_000, min: 1, max: 10_000 }), {
    group: "campaigns",
    description: "Recipients per chunk run",
    fallback: "`1000`",
  }),
  STUCK_SENDING_MINUTES: variable(amount({ fallback: 15, min: 0.001, fractional: true }), {
    group: "campaigns",
    description: "How long a sending campaign may make no progress before the watchdog steps in",
    fallback: "`15`",
  }),
  CREDIT_RESERVATION_HOURS: variable(amount({ fallback: 72, min: 0.001, fractional: true }), {
    group: "campaigns",
    description: "After this the watchdog may release a campaign's unused reservation",
    fallback: "`72`",
  }),
  WORKSPACE_STARTING_CREDITS: variable(amount({ fallback: 10_000, min: 0 }), {
    group: "campaigns",
    description: "Credits a new workspace is granted",
    fallback: "`10000`",
  }),
  REFRESH_PENDING_MINUTES: variable(amount({ fallback: 30, min: 1 }), {
    group: "campaigns",
    description: "How long a message may stay `sent` without delivery news before `refresh-message-status` asks its provider",
    fallback: "`30`",
  }),

  // ---- enrichment
  ENRICHMENT_PROVIDER: variable(choice(["domain", "http"]), {
    group: "enrichment",
    description: "Force `domain` (derive company from the email domain) or `http`",
    fallback: "`http` when `ENRICHMENT_API_URL` is set, else `domain`",
  }),
  ENRICHMENT_API_URL: variable(url(["http:", "https:"]), {
    group: "enrichment",
    description: "A company-lookup API (`{domain}` placeholder); every fetch goes through the SSRF guard",
    fallback: "—",
  }),
  ENRICHMENT_API_KEY: variable(optionalText(), { group: "enrichment", description: "Bearer key for `ENRICHMENT_API_URL`", fallback: "—", secret: true }),
  ENRICHMENT_BATCHES_PER_SECOND: variable(amount({ fallback: 10, min: 1 }), {
    group: "enrichment",
    description: "Throttle on enrichment batches (100 contacts each)",
    fallback: "`10`",
  }),

  // ---- exports
  EXPORT_LINK_TTL_HOURS: variable(amount({ fallback: 72, min: 0.001, max: 24 * 365, fractional: true }), {
    group: "exports",
    description: "How long a ready export can be downloaded: its signed link stops working, and the cleanup cron deletes its file, after this",
    fallback: "`72`",
  }),
  EXPORT_CHUNK_ROWS: variable(amount({ fallback: 10_000, min: 100, max: 1_000_000 }), {
    group: "exports",
    description: "Rows an export writes per step (one part file each); raised by itself for a workspace so large that the steps would pass a quarter of Inngest's 1,000",
    fallback: "`10000`",
  }),

  // ---- files
  S3_BUCKET: variable(optionalText(), { group: "files", description: "S3-compatible storage for uploaded files (see docs/deploy.md, File storage)", fallback: "files under `.data/files`" }),
  S3_ENDPOINT: variable(url(["http:", "https:"]), {
    group: "files",
    description: "An S3-compatible service instead of AWS (MinIO, R2, …), e.g. `http://minio:9000`; set, it is addressed path-style (`<endpoint>/<bucket>/<key>`)",
    fallback: "AWS S3",
  }),
  S3_REGION: variable(optionalText(), { group: "files", description: "The bucket's region (`auto` for R2; MinIO's configured region, `us-east-1` unless changed)", fallback: "—" }),
  S3_ACCESS_KEY_ID: variable(optionalText(), { group: "files", description: "Access key for the bucket", fallback: "—" }),
  S3_SECRET_ACCESS_KEY: variable(optionalText(), { group: "files", description: "Secret key for the bucket", fallback: "—", secret: true }),

  // ---- backups
  BACKUP_CRON: variable(cronSchedule("TZ=UTC 30 2 * * *"), {
    group: "backups",
    description: "When the scheduled logical backup runs (`schedule-backup`), as a cron expression, optionally prefixed `TZ=<zone> `",
    fallback: "`TZ=UTC 30 2 * * *` (daily, 02:30 UTC)",
  }),
  BACKUP_RETENTION_DAYS: variable(amount({ fallback: 14, min: 1, max: 3650 }), {
    group: "backups",
    description: "Days a completed backup is kept; then its files are deleted and its row marked `expired` (the newest completed backup is always kept)",
    fallback: "`14`",
  }),

  // ---- imports
  IMPORT_CHUNK_ROWS: variable(amount({ fallback: 20_000, min: 1 }), {
    group: "imports",
    description: "Records per import step (merged in batches of 5,000 while the next batch is parsed); at most 2,000 on the embedded database, so its one backend is never held long by an import",
    fallback: "`20000`",
  }),
  STUCK_IMPORT_MINUTES: variable(amount({ fallback: 5, min: 0.001, fractional: true }), {
    group: "imports",
    description: "How long a queued or running import may make no progress before the watchdog restarts it",
    fallback: "`5`",
  }),

  // ---- retention and temporary data
  RETENTION_BATCH_ROWS: variable(amount({ fallback: 500, min: 1, max: 10_000 }), {
    group: "retention",
    description: "Rows one retention step anonymises, scrubs or deletes (one keyset batch; never one giant statement)",
    fallback: "`500`",
  }),
  RETENTION_MAX_BATCHES_PER_RULE: variable(amount({ fallback: 100, min: 1, max: 110 }), {
    group: "retention",
    description: "Batches a rule may take in one daily run; what is left waits for the next day's run (a run stays under Inngest's 1,000 steps)",
    fallback: "`100`",
  }),
  TEMP_FILE_MAX_AGE_HOURS: variable(amount({ fallback: 24, min: 0.001, fractional: true }), {
    group: "retention",
    description: "The hourly cleanup removes uploaded import files of finished or failed imports, and stale spool and partial files, older than this",
    fallback: "`24`",
  }),

  // ---- tracking
  ENCRYPTION_KEYS: variable(optionalText(), {
    group: "mailbox",
    description:
      "Keys that seal stored mailbox passwords and OAuth tokens (AES-256-GCM): comma-separated, each 32 random bytes in base64 (`openssl rand -base64 32`). The first seals; all open, so put a new key first and keep the old ones until the daily re-seal has moved every row",
    fallback: "a random key kept in `.data/encryption-key`",
    secret: true,
  }),
  GOOGLE_CLIENT_ID: variable(optionalText(), {
    group: "mailbox",
    description:
      "The OAuth client (type Web application) that connects Gmail mailboxes, from a Google Cloud project with the Gmail API enabled; its authorised redirect URI is `<PUBLIC_URL>/mailbox/gmail/callback`",
    fallback: "— (Gmail cannot be connected; IMAP and exports still work)",
  }),
  GOOGLE_CLIENT_SECRET: variable(optionalText(), {
    group: "mailbox",
    description: "The OAuth client's secret (with `GOOGLE_CLIENT_ID`)",
    fallback: "—",
    secret: true,
  }),
  GOOGLE_OAUTH_AUTH_URL: variable(url(["http:", "https:"]), {
    group: "mailbox",
    description: "Google's consent page (tests point it at a loopback fake)",
    fallback: "`https://accounts.google.com/o/oauth2/v2/auth`",
  }),
  GOOGLE_OAUTH_TOKEN_URL: variable(url(["http:", "https:"]), {
    group: "mailbox",
    description: "Google's OAuth token endpoint (tests point it at a loopback fake)",
    fallback: "`https://oauth2.googleapis.com/token`",
  }),
  GMAIL_API_URL: variable(url(["http:", "https:"]), {
    group: "mailbox",
    description: "The Gmail API's origin (tests point it at a loopback fake)",
    fallback: "`https://gmail.googleapis.com`",
  }),
  TRACKING_SECRET: variable(optionalText(), {
    group: "tracking",
    description:
      "Signs tracking and unsubscribe links (≥ 32 characters); required in production, and must stay stable: changing it breaks links in mail already sent",
    fallback: "a random key kept in `.data/tracking-secret`",
    secret: true,
  }),
  TRACKING_SECRET_FALLBACK: variable(optionalText(), {
    group: "tracking",
    description: "The previous `TRACKING_SECRET` while rotating; its links keep working",
    fallback: "—",
    secret: true,
  }),

  // ---- analytics and campaign guards
  GUARD_COMPLAINT_RATE: variable(amount({ fallback: 0.003, min: 0, max: 1, fractional: true }), {
    group: "analytics",
    description: "A sending campaign whose complaint rate passes this share (of delivered mail) is paused; Gmail and Yahoo's bulk-sender rules draw the line at 0.3 %",
    fallback: "`0.003`",
  }),
  GUARD_HARD_BOUNCE_RATE: variable(amount({ fallback: 0.05, min: 0, max: 1, fractional: true }), {
    group: "analytics",
    description: "A sending campaign whose hard-bounce rate passes this share (of sent mail) is paused",
    fallback: "`0.05`",
  }),
  GUARD_MIN_SAMPLE: variable(amount({ fallback: 500, min: 1 }), {
    group: "analytics",
    description: "How many messages of a campaign must be sent before its complaint and bounce rates can pause it",
    fallback: "`500`",
  }),

  // ---- AI recommendations
  OPENAI_API_KEY: variable(optionalText(), {
    group: "ai",
    description: "Turns on AI recommendations through OpenAI (structured outputs)",
    fallback: "recommendations from deterministic heuristics over the rollups",
    secret: true,
  }),
  OPENAI_BASE_URL: variable(url(["http:", "https:"]), {
    group: "ai",
    description: "The OpenAI API's address (a compatible server, or a loopback fake in tests)",
    fallback: "`https://api.openai.com/v1`",
  }),
  OPENAI_MODEL: variable(optionalText(), { group: "ai", description: "The model asked for recommendations", fallback: "`gpt-4o-mini`" }),
  AI_DAILY_TOKEN_BUDGET: variable(amount({ fallback: 200_000, min: 0 }), {
    group: "ai",
    description: "Tokens one workspace may spend on AI recommendations per UTC day; past it, answers come from the heuristics with a note",
    fallback: "`200000`",
  }),

  // ---- sealed metrics
  SEAL_SIGNING_KEY: variable(optionalText(), {
    group: "seals",
    description: "The Ed25519 private key (PKCS#8 PEM) that signs sealed campaign metrics; its public key is published at `/.well-known/sendline-seal-key`",
    fallback: "a key generated once and kept in `.data/seal-key.pem` (development only)",
    secret: true,
  }),

  // ---- data lifecycle
  ARCHIVE_CAMPAIGNS_AFTER_DAYS: variable(optionalAmount({ min: 1, max: 36_500 }), {
    group: "lifecycle",
    description:
      "Days after a campaign finished (sent, failed or cancelled) before the daily `plan-archives` moves its recipients, messages, attempts, outbox copies and events to cold storage (gzip JSONL in the file storage); the campaign, its rollups and its seals stay",
    fallback: "unset: campaigns are archived only on request",
  }),
  ARCHIVE_PART_ROWS: variable(amount({ fallback: 5_000, min: 100, max: 100_000 }), {
    group: "lifecycle",
    description: "Rows per archive file (one step writes one file, and deletes as many rows); a campaign archive may take at most 200 files",
    fallback: "`5000`",
  }),
  ERASURE_RECOVERY_HOURS: variable(amount({ fallback: 24, min: 1, max: 720 }), {
    group: "lifecycle",
    description: "How long an erasure can be undone (restore by API, dashboard or the recovery email's link); the contact or workspace is hidden meanwhile and erased after it",
    fallback: "`24`",
  }),
  ERASURES_PER_DAY: variable(amount({ fallback: 10, min: 1 }), {
    group: "lifecycle",
    description: "Erasures one workspace executes per 24 hours once their window has passed; the rest wait their turn (never dropped)",
    fallback: "`10`",
  }),
  ERASURE_RECOVERY_EMAILS_PER_DAY: variable(amount({ fallback: 2, min: 1 }), {
    group: "lifecycle",
    description: "Recovery emails one contact receives per 24 hours, however often one is asked for",
    fallback: "`2`",
  }),

  // ---- metrics, logs and traces
  METRICS_TOKEN: variable(optionalText(), {
    group: "observability",
    description: "Bearer token Prometheus sends to scrape `GET /api/metrics` (`Authorization: Bearer …`); required there in production",
    fallback: "open in development, 404 in production",
    secret: true,
  }),
  LOG_LEVEL: variable(choice(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), {
    group: "observability",
    description: "Least severe log level written (pino levels)",
    fallback: "`info`",
  }),
  LOG_FORMAT: variable(choice(["json", "pretty"]), {
    group: "observability",
    description: "`json`: one JSON object per line; `pretty`: coloured lines for a person (needs the dev dependency pino-pretty)",
    fallback: "pretty in development on a terminal, JSON otherwise",
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: variable(url(["http:", "https:"]), {
    group: "observability",
    description: "Turns tracing on: spans go by OTLP over HTTP to this collector (`/v1/traces` is appended), as the OpenTelemetry SDK reads it",
    fallback: "tracing off",
  }),
  OTEL_SERVICE_NAME: variable(optionalText(), {
    group: "observability",
    description: "The service name on exported spans",
    fallback: "`sendline`",
  }),

  // ---- tests
  TEST_DATABASE_URL: variable(url(["postgres:", "postgresql:"]), {
    group: "tests",
    description: "Run the tests on this PostgreSQL server (a fresh database per test file) instead of PGlite",
    fallback: "—",
    secret: true,
  }),
  WEB_PUSH_TEST_CA: variable(optionalText(), {
    group: "tests",
    description:
      "Tests only: a PEM certificate to trust for Web Push endpoints, which also lets endpoints on loopback addresses through, so a loopback fake can stand in for a push service",
    fallback: "— (system CAs; public endpoints only)",
  }),
  CHROMIUM_PATH: variable(optionalText(), {
    group: "tests",
    description: "The Chromium binary `npm run test:browser` drives",
    fallback: "`chromium` on the `PATH` (Debian's package)",
  }),
} as const;

export type EnvName = keyof typeof ENV_VARIABLES;
export type EnvValues = { [K in EnvName]: z.output<(typeof ENV_VARIABLES)[K]["schema"]> };

/** The environment as one zod object, for whoever wants it whole (`envSchema.safeParse(process.env)`). */
export const envSchema = z.object(
  Object.fromEntries(Object.entries(ENV_VARIABLES).map(([name, v]) => [name, v.schema])) as { [K in EnvName]: (typeof ENV_VARIABLES)[K]["schema"] },
);

export const ENV_NAMES = Object.keys(ENV_VARIABLES) as EnvName[];

export const SECRET_ENV_NAMES = ENV_NAMES.filter((name) => (ENV_VARIABLES[name] as EnvVariable).secret);
