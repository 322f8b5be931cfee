import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:browser`: the dashboard in real Chromium against the production build
 * (`npm run build` first). One server and one browser for the whole run (support/global-setup.ts);
 * each test opens its own browser context.
 */
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/browser/support/global-setup.ts"],
    // Waits are for the app (an import, a campaign at its paced rate), not for a slow browser.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Files share their worker's modules (playwright-core, drizzle, the app's code): loading
    // them once per worker rather than once per file. Each file still gets its own workspace and
    // browser connection (file-scoped fixtures), so nothing a test sees is shared.
    isolate: false,
    // The server and Chromium need the machine's cores as much as the test files do.
    maxWorkers: 2,
  },
});
