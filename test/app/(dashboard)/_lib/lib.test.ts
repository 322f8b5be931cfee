import { describe, expect, it } from "vitest";
import { INNGEST_CLOUD_RUNS_URL, runsUrl } from "@/app/(dashboard)/_lib/inngest-ui";
import { isActive, NAV_ITEMS } from "@/app/(dashboard)/_lib/nav";
import { href, param } from "@/app/(dashboard)/_lib/search-params";
import { timeline } from "@/app/(dashboard)/_lib/timeline";
import { pickWorkspace } from "@/app/(dashboard)/_lib/workspace";
import type { Message } from "@/db/queries/messages";
import type { Workspace } from "@/db/queries/workspaces";

const workspace = (id: string): Workspace => ({ id, name: id, emailFrom: null, defaultRegion: "US", erasureRequestedAt: null, createdAt: new Date() });

describe("pickWorkspace", () => {
  const all = [workspace("oldest"), workspace("b"), workspace("c")];
  it.each([
    ["the requested one", ["b", "c"], "b"],
    ["the cookie when nothing is requested", [undefined, "c"], "c"],
    ["the cookie when the request is unknown", ["gone", "c"], "c"],
    ["the oldest when neither is known", ["gone", "stale"], "oldest"],
    ["the oldest by default", [], "oldest"],
  ] as const)("picks %s", (_name, preferred, expected) => {
    expect(pickWorkspace(all, ...preferred)?.id).toBe(expected);
  });

  it("is null with no workspaces", () => {
    expect(pickWorkspace([], "x")).toBeNull();
  });
});

describe("runsUrl", () => {
  it.each([
    [{ mode: "dev", serverUrl: "http://127.0.0.1:8288" } as const, "http://127.0.0.1:8288"],
    [{ mode: "cloud", serverUrl: "https://api.inngest.com" } as const, INNGEST_CLOUD_RUNS_URL],
    [null, INNGEST_CLOUD_RUNS_URL],
  ])("%j → %s", (mode, expected) => {
    expect(runsUrl(mode)).toBe(expected);
  });
});

describe("nav", () => {
  it("lists the shell's sections", () => {
    expect(NAV_ITEMS.map((item) => item.label)).toEqual(["Overview", "Notifications", "Dead letters", "Delivery rules", "Campaigns", "Automations", "Journeys", "Archives", "Analytics", "Recommendations", "Outbox", "Inbox demo", "Contacts", "Events", "Lists", "Categories", "Imports", "Mailbox", "Exports", "Retention", "Erasures", "Operations", "Audit log", "Backups", "Providers", "API"]);
  });

  it.each([
    ["/", "/", true],
    ["/", "/outbox", false],
    ["/outbox", "/outbox", true],
    ["/outbox", "/outbox/123", true],
    ["/outbox", "/outboxes", false],
  ])("%s is active on %s: %s", (itemHref, pathname, expected) => {
    expect(isActive({ href: itemHref, label: "x" }, pathname)).toBe(expected);
  });
});

describe("search params", () => {
  it.each([
    [{ a: "1" }, "1"],
    [{ a: ["1", "2"] }, "1"],
    [{ a: "" }, undefined],
    [{}, undefined],
  ])("param(%j)", (searchParams, expected) => {
    expect(param(searchParams, "a")).toBe(expected);
  });

  it("builds links from the defined parameters only", () => {
    expect(href("/outbox", { to: "a b@x.com", messageId: undefined, cursor: "" })).toBe("/outbox?to=a+b%40x.com");
    expect(href("/outbox")).toBe("/outbox");
  });
});

describe("timeline", () => {
  it("lists the statuses a message reached, in time order", () => {
    const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));
    const message = {
      queuedAt: at(0),
      sentAt: at(1),
      deliveredAt: at(2),
      openedAt: null,
      clickedAt: null,
      bouncedAt: null,
      complainedAt: at(5),
      failedAt: null,
      suppressedAt: null,
    } as Message;
    expect(timeline(message)).toEqual([
      { status: "queued", at: at(0) },
      { status: "sent", at: at(1) },
      { status: "delivered", at: at(2) },
      { status: "complained", at: at(5) },
    ]);
  });
});
