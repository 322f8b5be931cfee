import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  { ignores: [".next/**", ".data/**", "node_modules/**", "db/migrations/**", "next-env.d.ts", "coverage/**", "dist/**"] },
  ...next,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/engine/*", "@/engine/*"], message: "Nothing outside engine/ imports engine/." }] },
      ],
    },
  },
  {
    // App code logs through lib/observability/logger (JSON lines with the run's context, secrets redacted).
    files: ["app/**", "lib/**", "inngest/**", "db/**", "proxy.ts", "instrumentation.ts", "instrumentation-node.ts"],
    rules: { "no-console": "error" },
  },
  {
    files: ["engine/**", "test/engine/**", "scripts/dev.ts", "bench/**", "test/e2e/**", "test/support/**"],
    rules: { "no-restricted-imports": "off" },
  },
];

export default config;
