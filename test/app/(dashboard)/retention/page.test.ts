import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getRetentionPolicy } from "@/db/queries/retention-policies";
import { insertRetentionRun } from "@/db/queries/retention-runs";
import { submitRetentionForm } from "@/app/(dashboard)/_lib/retention-form";
import { useTestDatabase } from "@/test/support/database";
import { type RetentionWorld, seedRetentionWorld } from "@/test/lib/lifecycle/retention-world";

// Outside a request: no cookie jar (the oldest workspace is shown) and no mounted app router.
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), useRouter: () => ({ refresh: () => {} }) }));

let database: Database;
let world: RetentionWorld;

beforeAll(async () => {
  database = await useTestDatabase();
  world = await seedRetentionWorld(database.db, { name: "Page", now: new Date() });
});
afterAll(() => database.close());

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  data.set("workspace", world.workspaceId);
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};
const submit = (fields: Record<string, string>) => submitRetentionForm(database.db, { workspaceId: world.workspaceId, form: form(fields), now: new Date() });

describe("/retention", () => {
  it("shows the policy form with every rule off and no runs for a new workspace", async () => {
    const { default: RetentionPage } = await import("@/app/(dashboard)/retention/page");
    const html = renderToStaticMarkup(await RetentionPage({ searchParams: Promise.resolve({}) }));
    expect(html).toContain("No policy is applied");
    for (const name of ["inactiveContactDays", "messageBodyDays", "webhookPayloadDays", "runDataDays"]) expect(html).toMatch(new RegExp(`name="${name}"[^>]*value=""`));
    expect(html).toContain('name="confirmSharePercent"');
    expect(html).toContain("No runs yet");
  });

  it("dry-runs without saving, reviews before enabling, and asks for a confirmation past the share", async () => {
    const rules = { inactiveContactDays: "30", messageBodyDays: "30", webhookPayloadDays: "", runDataDays: "30", confirmSharePercent: "10" };
    const preview = await submit({ ...rules, intent: "preview" });
    expect(preview).toMatchObject({ kind: "report", report: { contacts: { live: 4, wouldAnonymise: 1 } } });
    expect(await getRetentionPolicy(database.db, { workspaceId: world.workspaceId })).toBeUndefined();

    const review = await submit({ ...rules, enabled: "on", intent: "save" });
    expect(review.kind).toBe("confirm");
    expect(review.message).toMatch(/anonymise 1 of 4 contacts \(25\.0 %\), more than 10\.0 %/);
    // "Enable" without the confirmation is refused the same way; "Confirm" saves.
    expect((await submit({ ...rules, enabled: "on", intent: "enable" })).kind).toBe("confirm");
    expect(await getRetentionPolicy(database.db, { workspaceId: world.workspaceId })).toBeUndefined();
    expect(await submit({ ...rules, enabled: "on", intent: "confirm" })).toMatchObject({ kind: "saved", message: expect.stringMatching(/runs daily/) });
    expect(await getRetentionPolicy(database.db, { workspaceId: world.workspaceId })).toMatchObject({ enabled: true, inactiveContactDays: 30, webhookPayloadDays: null, updatedBy: "dashboard", confirmedAt: expect.any(Date) });

    // Under the share, enabling shows the report for review first, then "Enable" saves.
    const underShare = { ...rules, inactiveContactDays: "", confirmSharePercent: "50", enabled: "on" };
    expect(await submit({ ...underShare, intent: "save" })).toMatchObject({ kind: "review", report: { needsConfirmation: false } });
    expect(await submit({ ...underShare, intent: "enable" })).toMatchObject({ kind: "saved" });
    expect(await submit({ ...underShare, enabled: "", intent: "save" })).toMatchObject({ kind: "saved", message: "Saved: the policy is off." });
  });

  it("names each invalid field", async () => {
    const state = await submit({ inactiveContactDays: "0", messageBodyDays: "2.5", confirmSharePercent: "200", intent: "save" });
    expect(state.kind).toBe("error");
    expect(Object.keys(state.fields!).sort()).toEqual(["confirmShare", "inactiveContactDays", "messageBodyDays"]);
  });

  it("lists the runs with their counts per rule", async () => {
    await insertRetentionRun(database.db, { workspaceId: world.workspaceId, dryRun: false, status: "completed", counts: { anonymisedContacts: 3, digestItems: 0, messageBodies: 12 }, startedAt: new Date(), finishedAt: new Date() });
    const { default: RetentionPage } = await import("@/app/(dashboard)/retention/page");
    const html = renderToStaticMarkup(await RetentionPage({ searchParams: Promise.resolve({}) }));
    expect(html).toContain("Applied");
    expect(html).toContain("Dry run");
    expect(html).toContain("Contacts anonymised (inactive): <strong>3</strong>");
    expect(html).toContain("Message bodies dropped: <strong>12</strong>");
    expect(html).not.toContain("Sent digests&#x27; items deleted: <strong>0</strong>");
    // The form shows the stored policy (switched off by the test above).
    expect(html).toMatch(/name="messageBodyDays" value="30"/);
    expect(html).toContain("No policy is applied");
  });
});
