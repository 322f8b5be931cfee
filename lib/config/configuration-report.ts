import { DEFAULT_OPENAI_MODEL } from "@/lib/ai/create-recommendation-model";
import { emailProviderChoices } from "@/lib/providers/email/create-email-provider";
import { pushProviderChoices } from "@/lib/providers/push/create-push-provider";
import { smsProviderChoice } from "@/lib/providers/sms/create-sms-provider";
import { whatsappProviderChoice } from "@/lib/providers/whatsapp/create-whatsapp-provider";
import { S3_REQUIRED_VARIABLES } from "@/lib/storage/s3/s3-options";
import { type Env, envValue, type EnvIssue, readEnv } from "@/core/config/env";
import { publicUrl } from "./public-url";

/**
 * ready: a real part is configured; local: the embedded default is used (how to switch is in
 * the text); half: some of a group's variables are set and others missing; off: a feature that
 * stays disabled until configured.
 */
export type ConfigurationState = "ready" | "local" | "half" | "off";
export type ConfigurationLine = { area: string; state: ConfigurationState; text: string };

const EMAIL_PROVIDER_LABELS = { outbox: "outbox", resend: "Resend", smtp: "SMTP" } as const;

const list = (names: readonly string[]) => (names.length === 1 ? `${names[0]} is missing` : `${names.join(", ")} are missing`);

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "(unreadable URL)";
  }
}

/**
 * What is configured and what is not, area by area, in plain words, for `npm run dev` to print
 * at start. Never shows a secret's value. Issues are variables whose value cannot be used at
 * all; an area whose variables are unusable is left out (its issue says why).
 */
export function configurationReport(env: Env = process.env): { lines: ConfigurationLine[]; issues: EnvIssue[] } {
  const { issues } = readEnv(env);
  const bad = new Set(issues.map((issue) => issue.variable));
  const lines: ConfigurationLine[] = [];
  const add = (area: string, state: ConfigurationState, text: string) => lines.push({ area, state, text });
  const usable = (...names: Parameters<typeof envValue>[0][]) => names.every((name) => !bad.has(name));

  if (usable("DATABASE_URL")) {
    const url = envValue("DATABASE_URL", env);
    if (url) add("Database", "ready", `PostgreSQL at ${hostOf(url).replace(/^.*@/, "")}`);
    else add("Database", "local", `embedded PGlite under ${envValue("SENDLINE_DATA_DIR", env) ?? ".data"}/ (set DATABASE_URL to use PostgreSQL)`);
  }

  const dev = envValue("INNGEST_DEV", env);
  if (dev && dev !== "0" && dev !== "false") add("Inngest", "local", `dev server at ${dev}`);
  else if (envValue("INNGEST_SIGNING_KEY", env)) {
    const where = usable("INNGEST_BASE_URL") && envValue("INNGEST_BASE_URL", env) ? envValue("INNGEST_BASE_URL", env)! : "Inngest Cloud";
    if (envValue("INNGEST_EVENT_KEY", env)) add("Inngest", "ready", `${where}, signed`);
    else add("Inngest", "half", `${where}: INNGEST_EVENT_KEY is missing (events cannot be sent)`);
  } else add("Inngest", "half", "neither INNGEST_DEV nor INNGEST_SIGNING_KEY is set");

  if (usable("EMAIL_PROVIDER", "EMAIL_PROVIDERS", "RESEND_API_KEY", "SMTP_URL")) {
    const choices = emailProviderChoices(env);
    const [email] = choices;
    if (choices.length > 1) {
      const missing = choices.flatMap((choice) => ("missing" in choice ? [`${choice.provider} needs ${choice.missing[0]}`] : []));
      const names = choices.map((choice) => EMAIL_PROVIDER_LABELS[choice.provider]).join(", then ");
      if (missing.length > 0) add("Email", "half", `${names}: ${missing.join("; ")} (email sends fail)`);
      else add("Email", "ready", `${names}, failing over with circuit breakers`);
    } else if (email!.provider === "outbox") add("Email", "local", "outbox (set RESEND_API_KEY to send through Resend)");
    else if ("missing" in email!) add("Email", "half", `EMAIL_PROVIDER=${email!.provider} but ${email!.missing[0]} is missing: email sends fail`);
    else add("Email", "ready", EMAIL_PROVIDER_LABELS[email!.provider]);
  }
  if (envValue("RESEND_WEBHOOK_SECRET", env)) add("Email webhooks", "ready", "Resend webhooks verified with RESEND_WEBHOOK_SECRET");
  else if (usable("RESEND_API_KEY") && envValue("RESEND_API_KEY", env)) {
    add("Email webhooks", "off", "off: set RESEND_WEBHOOK_SECRET to receive Resend's delivery, bounce and complaint events");
  }

  if (usable("SMS_PROVIDER")) {
    const sms = smsProviderChoice(env);
    if (sms.provider === "outbox") add("SMS", "local", "outbox (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM to send through Twilio)");
    else if ("missing" in sms) add("SMS", "half", `Twilio is half-configured: ${list(sms.missing)} (SMS sends fail until set; other channels are unaffected)`);
    else add("SMS", "ready", `Twilio, from ${sms.from}`);
  }
  if (envValue("TWILIO_AUTH_TOKEN", env)) add("SMS webhooks", "ready", "Twilio webhooks verified with TWILIO_AUTH_TOKEN");

  if (usable("WHATSAPP_PROVIDER")) {
    const whatsapp = whatsappProviderChoice(env);
    if (whatsapp.provider === "outbox") add("WhatsApp", "local", "outbox (set WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID to send through the Cloud API)");
    else if ("missing" in whatsapp) add("WhatsApp", "half", `${whatsapp.provider === "meta" ? "the Cloud API" : "Twilio"} is half-configured: ${list(whatsapp.missing)} (WhatsApp sends fail until set; other channels are unaffected)`);
    else add("WhatsApp", "ready", whatsapp.provider === "meta" ? `Cloud API, phone number id ${whatsapp.phoneNumberId}` : `Twilio, from ${whatsapp.from}`);
  }
  if (envValue("WHATSAPP_APP_SECRET", env)) add("WhatsApp webhooks", "ready", "Cloud API webhooks verified with WHATSAPP_APP_SECRET");
  if (usable("PUSH_PROVIDER", "WEB_PUSH_VAPID_PUBLIC_KEY", "WEB_PUSH_VAPID_PRIVATE_KEY", "FCM_SERVICE_ACCOUNT")) {
    const push = pushProviderChoices(env);
    const missing = push.flatMap((choice) => (choice.missing ? [choice.missing] : []));
    if (push.every((choice) => choice.provider === "outbox")) {
      add("Push", "local", "outbox (set WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY for Web Push, FCM_SERVICE_ACCOUNT for FCM)");
    } else if (missing.length > 0) add("Push", "half", `Web Push; FCM needs ${missing.join(", ")} (pushes to FCM tokens fail until set)`);
    else add("Push", "ready", "Web Push and FCM");
  }

  if (usable("ENRICHMENT_PROVIDER", "ENRICHMENT_API_URL")) {
    const apiUrl = envValue("ENRICHMENT_API_URL", env);
    const choice = envValue("ENRICHMENT_PROVIDER", env) ?? (apiUrl ? "http" : "domain");
    if (choice === "domain") add("Enrichment", "local", "company from the email domain (set ENRICHMENT_API_URL to use a lookup API)");
    else if (!apiUrl) add("Enrichment", "half", "ENRICHMENT_PROVIDER=http but ENRICHMENT_API_URL is missing");
    else add("Enrichment", "ready", `lookup API at ${hostOf(apiUrl)}`);
  }

  if (usable("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL")) {
    if (envValue("OPENAI_API_KEY", env)) {
      const base = envValue("OPENAI_BASE_URL", env);
      add("AI", "ready", `OpenAI (${envValue("OPENAI_MODEL", env) ?? DEFAULT_OPENAI_MODEL}${base ? ` at ${hostOf(base)}` : ""}), heuristics when it cannot answer`);
    } else add("AI", "local", "recommendations from heuristics over the rollups (set OPENAI_API_KEY to ask OpenAI)");
  }
  if (usable("SEAL_SIGNING_KEY")) {
    if (envValue("SEAL_SIGNING_KEY", env)) add("Seals", "ready", "campaign metrics signed with SEAL_SIGNING_KEY");
    else if (env.NODE_ENV === "production") add("Seals", "off", "off: set SEAL_SIGNING_KEY (Ed25519, PKCS#8 PEM) to seal campaign metrics");
    else add("Seals", "local", `campaign metrics signed with a development key in ${envValue("SENDLINE_DATA_DIR", env) ?? ".data"}/seal-key.pem (set SEAL_SIGNING_KEY in production)`);
  }

  const bucket = envValue("S3_BUCKET", env);
  if (!bucket) add("Files", "local", `local directory ${envValue("SENDLINE_DATA_DIR", env) ?? ".data"}/files (set S3_BUCKET and its credentials for S3)`);
  else {
    const missing = S3_REQUIRED_VARIABLES.filter((name) => !envValue(name, env));
    if (missing.length > 0) add("Files", "half", `S3 is half-configured: ${list(missing)} (uploads fail until set)`);
    else add("Files", "ready", `S3 bucket ${bucket}`);
  }

  if (usable("PUBLIC_URL", "PORT")) {
    try {
      const url = publicUrl(env as NodeJS.ProcessEnv);
      const secret = envValue("TRACKING_SECRET", env) ? "TRACKING_SECRET" : "a development key in .data/tracking-secret";
      add("Links", envValue("PUBLIC_URL", env) ? "ready" : "local", `tracking and unsubscribe links point at ${url}, signed with ${secret}`);
    } catch (error) {
      add("Links", "half", (error as Error).message);
    }
  }

  if (envValue("DASHBOARD_PASSWORD", env)) add("Dashboard", "ready", `behind a password (user ${envValue("DASHBOARD_USER", env) ?? "admin"})`);
  else add("Dashboard", "off", "open without a password in development (set DASHBOARD_PASSWORD to require one)");

  return { lines, issues };
}
