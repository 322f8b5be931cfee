import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import { chromiumPath } from "./chromium-path";
import { SCREENSHOT_DIR } from "./screenshots";
import { startProductionApp } from "./start-production-app";

/** What every browser test file gets from the one server and the one browser (see `inject`). */
export type BrowserSuite = {
  baseUrl: string;
  databaseUrl: string;
  user: string;
  password: string;
  /** Playwright's endpoint of the shared Chromium: files connect to it, each test opens a context. */
  browserEndpoint: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    browserSuite: BrowserSuite;
  }
}

/** Refuses to start without what the suite drives, naming the fix, before anything is started. */
function preconditions(): string {
  const problems: string[] = [];
  if (!fs.existsSync(path.resolve(".next/BUILD_ID"))) {
    problems.push("No production build (.next/BUILD_ID is missing): run `npm run build` first. The suite tests the built app and never builds it.");
  }
  const executable = chromiumPath();
  if (!executable) {
    problems.push(
      process.env.CHROMIUM_PATH
        ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`
        : "Chromium is not installed: `apt-get install -y chromium` (Debian), or set CHROMIUM_PATH to a Chromium binary.",
    );
  }
  if (problems.length > 0 || !executable) throw new Error(`The browser suite cannot run:\n  ${problems.join("\n  ")}`);
  return executable;
}

/**
 * Once for the whole suite: the production server and one Chromium. Test files run in their own
 * processes, so the browser is launched as a server they connect to; each test then gets a fresh
 * context (its own cookies and storage) at a fraction of a browser's start-up cost.
 */
export default async function setup(project: TestProject) {
  const executablePath = preconditions();
  fs.rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const app = await startProductionApp({ logFile: path.join(SCREENSHOT_DIR, "server.log") });
  let browser;
  try {
    // /dev/shm is small in containers; Chromium falls back to /tmp instead of crashing tabs.
    browser = await chromium.launchServer({ executablePath, headless: true, args: ["--disable-dev-shm-usage"] });
  } catch (error) {
    await app.stop();
    throw error;
  }
  project.provide("browserSuite", {
    baseUrl: app.baseUrl,
    databaseUrl: app.databaseUrl,
    user: app.user,
    password: app.password,
    browserEndpoint: browser.wsEndpoint(),
  });
  return async () => {
    await browser.close();
    await app.stop();
  };
}
