import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { expect, inject, test as base } from "vitest";
import { WORKSPACE_COOKIE } from "@/app/_lib/workspace-cookie";
import { openDatabase } from "@/db";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type ApiClient, apiClient } from "./api-client";
import { type PageProblems, watchForProblems } from "./page-problems";
import { saveScreenshot } from "./screenshots";

export type TestWorkspace = { id: string; name: string; apiKey: string; api: ApiClient };

/** Where a person's eye falls first: wide enough for the tables, short enough to show scrolling. */
const VIEWPORT = { width: 1280, height: 800 };

/**
 * The browser suite's `test`. Each file gets a workspace of its own (created as
 * `npm run workspace:create` does, named after the file), so pages show exactly what that file
 * made; each test gets a fresh browser context signed in to the dashboard with that workspace
 * chosen, and fails if anything in it logged an error, threw, or got a failed or 5xx answer
 * from the app. The page's final state is saved as a full-page screenshot.
 */
export const test = base
  .extend("suite", { scope: "file" }, async ({}) => inject("browserSuite"))
  .extend("browser", { scope: "file" }, async ({ suite }, { onCleanup }) => {
    const browser = await chromium.connect(suite.browserEndpoint);
    onCleanup(() => browser.close());
    return browser;
  })
  .extend("workspace", { scope: "file" }, async ({ suite }): Promise<TestWorkspace> => {
    const name = path.basename(expect.getState().testPath ?? "browser", ".test.ts");
    const database = openDatabase({ url: suite.databaseUrl });
    try {
      const { workspace, apiKey } = await createWorkspace(database.db, { name });
      return { id: workspace.id, name, apiKey, api: apiClient(suite.baseUrl, apiKey) };
    } finally {
      await database.close();
    }
  })
  .extend("signedIn", async ({ browser, suite, workspace }, { onCleanup }) => {
    const context = await browser.newContext({
      baseURL: suite.baseUrl,
      viewport: VIEWPORT,
      // Sent with every request, so no page ever sees the 401 challenge first.
      httpCredentials: { username: suite.user, password: suite.password, send: "always" },
    });
    // Long enough for a loaded CI machine, short enough that a missing element fails soon.
    context.setDefaultTimeout(15_000);
    await context.addCookies([{ name: WORKSPACE_COOKIE, value: workspace.id, url: suite.baseUrl }]);
    const problems = watchForProblems(context, suite.baseUrl);
    onCleanup(async () => {
      await context.close();
      const unexpected = problems.unexpected;
      if (unexpected.length > 0) throw new Error(`The browser saw ${unexpected.length} problem(s):\n  ${unexpected.join("\n  ")}`);
    });
    return { context, problems };
  })
  .extend("problems", async ({ signedIn }): Promise<PageProblems> => signedIn.problems)
  .extend("page", async ({ signedIn, task }, { onCleanup }): Promise<Page> => {
    const page = await signedIn.context.newPage();
    // Runs before the context closes (cleanups run in reverse): where the test left the page.
    onCleanup(() => saveScreenshot(page, path.basename(task.file.name, ".test.ts"), task.name).then(() => {}, () => {}));
    return page;
  });
