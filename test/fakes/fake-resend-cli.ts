/**
 * A fake Resend for manual demos: `tsx test/fakes/fake-resend-cli.ts --port 3100`, then start
 * the app with the printed RESEND_BASE_URL and RESEND_API_KEY. Always binds to 127.0.0.1.
 */
import { parseArgs } from "node:util";
import { startFakeResend } from "./fake-resend";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3100" },
    "api-key": { type: "string" },
    "requests-per-second": { type: "string", default: "2" },
    "no-rate-limit": { type: "boolean", default: false },
  },
});

const port = Number(values.port);
const requestsPerSecond = Number(values["requests-per-second"]);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0-65535, got ${values.port}`);
if (!(requestsPerSecond > 0)) throw new Error(`--requests-per-second must be positive, got ${values["requests-per-second"]}`);

const fake = await startFakeResend({
  port,
  apiKey: values["api-key"],
  rateLimit: values["no-rate-limit"] ? false : { requests: requestsPerSecond, windowMs: 1_000 },
});

console.log(`fake Resend listening on ${fake.url}`);
console.log(`RESEND_BASE_URL=${fake.url}`);
console.log(`RESEND_API_KEY=${fake.apiKey}`);

// Log each accepted email so a demo shows what "sent" means.
let shown = 0;
const timer = setInterval(() => {
  for (const email of fake.emails.slice(shown)) {
    // The one-click unsubscribe pair (RFC 8058) is what mailbox providers check on bulk mail.
    const unsubscribe = email.headers["List-Unsubscribe"] ? ` | List-Unsubscribe: ${email.headers["List-Unsubscribe"]} | List-Unsubscribe-Post: ${email.headers["List-Unsubscribe-Post"] ?? "(missing)"}` : "";
    console.log(`accepted ${email.id} → ${email.to.join(", ")}: ${email.subject}${unsubscribe}`);
  }
  shown = fake.emails.length;
}, 500);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    clearInterval(timer);
    const { accepted, rateLimited, duplicates } = fake.counters;
    console.log(`\naccepted ${accepted}, 429s ${rateLimited}, idempotent replays ${duplicates}`);
    void fake.stop().then(() => process.exit(0));
  });
}
