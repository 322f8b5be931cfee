import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

/** Opens a dashboard path as a person would (typing the address) and checks the answer's status. */
export async function visit(page: Page, path: string, status = 200): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path}`).toBe(status);
}

/** Waits until each is on screen (server-rendered pages usually already are); fails naming the first that is not. */
export async function expectVisible(...locators: Locator[]): Promise<void> {
  for (const locator of locators) {
    await locator.waitFor({ state: "visible", timeout: 10_000 });
  }
}

/** The page's own h1. */
export function heading(page: Page, name: string | RegExp): Locator {
  return page.getByRole("heading", { level: 1, name });
}

/** Nothing pushes the page wider than the window: wide tables scroll inside their own box. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(clientWidth);
}

/** Waits until the element's text is `text`: pages that refresh themselves get there on their own. */
export async function expectText(locator: Locator, text: string | RegExp, timeoutMs = 20_000): Promise<void> {
  const read = async () => (await locator.textContent({ timeout: timeoutMs }))?.trim() ?? "";
  if (typeof text === "string") await expect.poll(read, { timeout: timeoutMs, interval: 100 }).toBe(text);
  else await expect.poll(read, { timeout: timeoutMs, interval: 100 }).toMatch(text);
}

/** A progress bar's value (aria-valuenow), null while it is indeterminate. */
export async function progressOf(bar: Locator): Promise<number | null> {
  const value = await bar.getAttribute("aria-valuenow");
  return value === null ? null : Number(value);
}
