import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { listJourneyStepPreviews } from "@/db/queries/journey-step-previews";
import { insertJourney } from "@/db/queries/journeys";
import { getTemplate } from "@/db/queries/templates";
import { templates } from "@/db/schema";
import { insertImageIntoTemplate } from "@/lib/assets/insert-image-into-template";
import { storeEmailImage } from "@/lib/assets/store-email-image";
import { templateImages } from "@/lib/assets/template-images";
import { prerenderJourneyPreviews } from "@/lib/journeys/prerender-journey-previews";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { photo } from "@/test/support/images";

let database: Database;
let dataDir: string;
let workspaceId: string;
let otherWorkspaceId: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-insert-image-"));
  vi.stubEnv("SENDLINE_DATA_DIR", dataDir);
  vi.stubEnv("PUBLIC_URL", "https://mail.example.test");
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Builder" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Elsewhere" }));
});
afterAll(async () => {
  await database.close();
  vi.unstubAllEnvs();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const template = async (channel: "email" | "sms", body: string) =>
  (await database.db.insert(templates).values({ workspaceId, channel, name: `t-${Math.random()}`, subject: channel === "email" ? "Hello {{ contact.first_name }}" : null, body }).returning())[0]!;
const image = async (width: number, workspace = workspaceId, fileName = "hero.jpg") => (await storeEmailImage(database.db, createFileStorage(), { workspaceId: workspace, fileName, bytes: await photo(width, 400) })).asset;

describe("insertImageIntoTemplate", () => {
  it("adds the image's <img> before </body> as a new template version, and the journey's stored preview is rendered again with it", async () => {
    const stored = await template("email", "<html><body><p>Welcome to {{ journey.name }}</p></body></html>");
    const asset = await image(2400);
    const journey = await insertJourney(database.db, {
      workspaceId,
      name: "Welcome",
      draft: { trigger: { type: "event", eventName: "signup" }, start: "send", nodes: [{ id: "send", type: "send", channel: "email", templateId: stored.id, next: "done" }, { id: "done", type: "exit" }] },
      savedBy: null,
      now: new Date(),
    });
    const prerender = () => prerenderJourneyPreviews(database.db, { workspaceId, journey, draft: journey.draft, now: new Date() });
    expect(await prerender()).toEqual(["send"]);

    const outcome = await insertImageIntoTemplate(database.db, { workspaceId, templateId: stored.id, assetId: asset.id, alt: 'Our "new" shop {{ x }}' });
    expect(outcome).toMatchObject({ ok: true, template: { version: 2 } });
    const body = (await getTemplate(database.db, { workspaceId, templateId: stored.id }))!.body;
    expect(body).toBe(
      `<html><body><p>Welcome to {{ journey.name }}</p>\n<img src="https://mail.example.test/assets/${asset.id}/hero.jpg" alt="Our &quot;new&quot; shop &#123;&#123; x &#125;&#125;" width="600" style="max-width:100%;height:auto">\n</body></html>`,
    );

    // The stored preview is out of date (its template moved on) and the next pre-render redoes it with the image.
    expect(await prerender()).toEqual(["send"]);
    const [preview] = await listJourneyStepPreviews(database.db, { journeyId: journey.id });
    expect((preview!.preview as { html: string }).html).toContain(`src="https://mail.example.test/assets/${asset.id}/hero.jpg"`);

    const listed = await templateImages(database.db, { workspaceId, templateId: stored.id, recent: 10 });
    expect(listed[0]).toMatchObject({ id: asset.id, inTemplate: true, width: 1200 });
  });

  it("refuses another workspace's image, a non-email template and an unknown template, changing nothing", async () => {
    const stored = await template("email", "<p>Hi</p>");
    const theirs = await image(300, otherWorkspaceId, "theirs.jpg");
    expect(await insertImageIntoTemplate(database.db, { workspaceId, templateId: stored.id, assetId: theirs.id, alt: "" })).toEqual({ ok: false, reason: "no_asset" });
    const sms = await template("sms", "Hi");
    const mine = await image(310);
    expect(await insertImageIntoTemplate(database.db, { workspaceId, templateId: sms.id, assetId: mine.id, alt: "" })).toEqual({ ok: false, reason: "not_email" });
    expect(await insertImageIntoTemplate(database.db, { workspaceId: otherWorkspaceId, templateId: stored.id, assetId: theirs.id, alt: "" })).toEqual({ ok: false, reason: "not_found" });
    expect((await getTemplate(database.db, { workspaceId, templateId: stored.id }))!).toMatchObject({ version: 1, body: "<p>Hi</p>" });
    expect((await templateImages(database.db, { workspaceId, templateId: stored.id, recent: 50 })).map((row) => row.id)).not.toContain(theirs.id);
  });
});
