import { PHASE_PRODUCTION_BUILD } from "next/constants.js";

/**
 * A production build that would serve Inngest functions unsigned is a security hole, so it
 * fails here, loudly, unless the build is explicitly for a dev server (INNGEST_DEV).
 */
function assertInngestKeys(phase) {
  if (phase !== PHASE_PRODUCTION_BUILD) return;
  if (process.env.INNGEST_SIGNING_KEY || process.env.INNGEST_DEV) return;
  throw new Error(
    "INNGEST_SIGNING_KEY is not set: a production build would serve Inngest functions without " +
      "verifying signatures. Set INNGEST_SIGNING_KEY (and INNGEST_EVENT_KEY) from Inngest Cloud, " +
      "or INNGEST_DEV=<dev server url> for a build that talks to a local dev server.",
  );
}

/** @type {(phase: string) => import('next').NextConfig} */
export default function nextConfig(phase) {
  assertInngestKeys(phase);
  const standalone = ["1", "true"].includes(process.env.BUILD_STANDALONE ?? "");
  return {
    reactStrictMode: true,
    // Native/wasm database drivers must stay plain Node requires, not bundled. So does the AWS SDK:
    // Next keeps @aws-sdk/client-s3 external by default, and lib-storage (whose Upload sends
    // client-s3's commands through our client) must load that same copy, not a bundled one.
    serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "postgres", "@aws-sdk/client-s3", "@aws-sdk/lib-storage"],
    typescript: { ignoreBuildErrors: false },
    // The Dockerfile's build: a self-contained server with only the traced node_modules.
    ...(standalone ? { output: "standalone" } : {}),
    // Development state (the embedded database, the development tracking key) never ships, whatever
    // a future dynamic path makes the tracer think; `npm run smoke:production` checks the build's traces.
    // (A pattern such as "dist/**" would also drop node_modules/next/dist: keep these to .data/.)
    outputFileTracingExcludes: { "*": [".data/**"] },
  };
}
