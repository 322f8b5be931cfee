import path from "node:path";
import type { Page } from "playwright-core";

/** Screenshots and the server log, kept as CI artifacts (git-ignored; emptied when the suite starts). */
export const SCREENSHOT_DIR = path.resolve("test-results/browser");

/** "Campaign page: send, pause" → "campaign-page-send-pause". */
export function fileSafe(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 120);
}

/** The whole page (not only the viewport) as test-results/browser/<part>--<part>.png. */
export async function saveScreenshot(page: Page, ...nameParts: string[]): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${nameParts.map(fileSafe).join("--")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
