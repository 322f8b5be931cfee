import type { BrowserContext } from "playwright-core";

/**
 * Everything that went wrong in a browser context that a person might not notice on screen but
 * an operator would: console errors, uncaught exceptions, same-origin requests that failed, and
 * server errors. A test fails on any of them unless it says it expects that one (`allow`).
 */
export type PageProblems = {
  readonly unexpected: readonly string[];
  /** A problem this test causes on purpose (a 404 page logs its own 404). */
  allow(pattern: RegExp): void;
};

export function watchForProblems(context: BrowserContext, origin: string): PageProblems {
  const seen: string[] = [];
  const allowed: RegExp[] = [];
  const sameOrigin = (url: string) => url.startsWith(`${origin}/`) || url === origin;

  context.on("console", (message) => {
    if (message.type() === "error") seen.push(`console error on ${message.page()?.url() ?? "?"}: ${message.text()}`);
  });
  context.on("weberror", (error) => seen.push(`uncaught error on ${error.page()?.url() ?? "?"}: ${error.error().stack ?? error.error().message}`));
  context.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "unknown";
    // The page itself cancelled it (a navigation or a refresh superseding a prefetch): not a failure.
    if (reason === "net::ERR_ABORTED") return;
    if (sameOrigin(request.url())) seen.push(`request failed: ${request.method()} ${request.url()}: ${reason}`);
  });
  context.on("response", (response) => {
    if (response.status() >= 500 && sameOrigin(response.url())) seen.push(`server error: ${response.status()} for ${response.request().method()} ${response.url()}`);
  });

  return {
    get unexpected() {
      return seen.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
    },
    allow(pattern) {
      allowed.push(pattern);
    },
  };
}
