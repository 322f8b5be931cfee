import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { contacts, mailboxConnections } from "@/db/schema";
import { summariseMessage } from "@/app/(dashboard)/_lib/summarise-action-state";
import { createRecommendationModel } from "@/lib/ai/create-recommendation-model";
import { scoreRelationshipBatch } from "@/lib/mailbox/score-relationship-batch";
import { summariseRelationship } from "@/lib/mailbox/summarise-relationship";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { insertMail } from "@/test/support/mailbox-mail";

// Outside a request: no cookie jar (the oldest workspace is shown) and no mounted app router.
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), useRouter: () => ({ refresh: () => {} }) }));

let database: Database;
let workspaceId: string;
const OWNER = "me@own.example";
const props = (id?: string) => ({ params: Promise.resolve({ id: id ?? "" }), searchParams: Promise.resolve({}) });
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

beforeAll(async () => {
  vi.stubEnv("OPENAI_API_KEY", "");
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Dashboard relationships" }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

describe("/mailbox/relationships", () => {
  it("says what to do first when there is no mail, and is linked from the mailbox's navigation", async () => {
    const { default: RelationshipsPage } = await import("@/app/(dashboard)/mailbox/relationships/page");
    const html = renderToStaticMarkup(await RelationshipsPage(props()));
    expect(text(html)).toContain("No relationships yet. Relationships come from imported mail: import a mailbox export and they are computed when the import ends");
    expect(html).toMatch(/<nav class="subnav" aria-label="Mailbox"><a href="\/mailbox">Imports and contacts<\/a><a class="active" aria-current="page" href="\/mailbox\/relationships">Relationships<\/a><\/nav>/);
    const { default: MailboxPage } = await import("@/app/(dashboard)/mailbox/page");
    expect(renderToStaticMarkup(await MailboxPage(props()))).toMatch(/<nav class="subnav" aria-label="Mailbox">.*href="\/mailbox\/relationships"/);
  });

  it("lists top relationships, the ones going cold and the threads awaiting a reply; the contact page shows the relationship and, once asked, its summary", async () => {
    const [ann] = await database.db.insert(contacts).values({ workspaceId, email: "ann@a.example", firstName: "Ann", lastName: "Lee" }).returning();
    await database.db.insert(contacts).values({ workspaceId, email: "bob@b.example", firstName: "Bob" });
    await database.db.insert(mailboxConnections).values({ workspaceId, kind: "import", label: "test", ownerAddresses: [OWNER] });
    const day = (n: number, hour = 9) => new Date(Date.UTC(2025, 0, 1 + n, hour)).toISOString();
    await insertMail(database.db, {
      workspaceId,
      owner: OWNER,
      defaultTo: "ann@a.example",
      mail: [
        ...Array.from({ length: 20 }, (_, n) => [
          { thread: `bob-${n}`, from: "bob@b.example", at: day(n) },
          { thread: `bob-${n}`, from: OWNER, to: ["bob@b.example"], at: day(n, 10) },
        ]).flat(),
        { thread: "ann-1", from: "ann@a.example", at: day(150), subject: "Budget" },
        { thread: "ann-1", from: OWNER, at: day(150, 12) },
        { thread: "ann-2", from: "ann@a.example", at: day(160), subject: "Offsite dates" },
      ],
    });
    await scoreRelationshipBatch(database.db, { workspaceId, after: null, now: new Date(day(165)) });

    const { default: RelationshipsPage } = await import("@/app/(dashboard)/mailbox/relationships/page");
    const page = text(renderToStaticMarkup(await RelationshipsPage(props())));
    const section = (heading: string, next?: string) => page.slice(page.indexOf(heading), next ? page.indexOf(next) : undefined);
    expect(section("Top relationships", "Going cold")).toMatch(/Ann Lee ann@a\.example \d+ 1 \/ 2 .*Bob bob@b\.example/);
    expect(section("Going cold", "Threads awaiting your reply")).toMatch(/Bob bob@b\.example \d+ 146 d 1 d/);
    expect(section("Threads awaiting your reply")).toMatch(/Ann Lee ann@a\.example Offsite dates 2025-06-10 09:00:00 UTC 1/);

    const { default: ContactPage } = await import("@/app/(dashboard)/contacts/[id]/page");
    let contact = text(renderToStaticMarkup(await ContactPage(props(ann!.id))));
    expect(contact).toMatch(/Strength \d+ \/ 100 Last interaction 2025-06-10 09:00:00 UTC Messages 1 sent · 2 received/);
    expect(contact).toContain("Awaiting your reply 1 thread — newest “Offsite dates”");
    expect(contact).toContain("No summary yet");

    const result = await summariseRelationship(database.db, { workspaceId, contactId: ann!.id, model: createRecommendationModel(), actor: "dashboard" });
    expect(summariseMessage(result)).toEqual({ ok: true, message: "Summarised by the heuristics." });
    contact = text(renderToStaticMarkup(await ContactPage(props(ann!.id))));
    expect(contact).toContain("Next: Reply to “Offsite dates” — waiting 5 days");
    expect(contact).toMatch(/By the heuristics, \d{4}-\d\d-\d\d/);
  });
});
