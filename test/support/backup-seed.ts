import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { insertAuditEntries } from "@/db/queries/audit-log";
import { backups, contactEngagement, contactRelationships, contacts, dataExports, emailAssets, erasures, retentionPolicies, segments, suppressions, webhookEvents } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "./campaign-audience";
import { deliverToInbox, insertInboxContact } from "./inbox";
import { engage, engagedCampaign } from "./sealed-campaign";

/**
 * A database with rows of most kinds, for backup round trips and the restore drill: two
 * workspaces with API keys and credits, campaigns with recipients, messages and engagement
 * (and the rollups it feeds), an in-app inbox, an email image, lifecycle rows, an audit chain, and values that
 * are awkward to carry (unicode, quotes, newlines, nested JSON, nulls, sub-second times).
 */
export async function seedEveryKind(db: Db, options: { campaignSize?: number } = {}): Promise<{ workspaceIds: string[] }> {
  const workspaceIds: string[] = [];
  for (const name of ["Drill One", "Drill Two"]) {
    const { workspace } = await createWorkspace(db, { name });
    workspaceIds.push(workspace.id);
    const { messageIds } = await engagedCampaign(db, { workspaceId: workspace.id, prefix: `${name.replace(" ", "-").toLowerCase()}-`, size: options.campaignSize ?? 5 });
    await engage(db, messageIds[1]!, "clicked", { url: "https://example.com/a?b=1&c=\"d\"" });
    await seedCampaignAudience(db, { workspaceId: workspace.id, size: 3, prefix: `${name.replace(" ", "-").toLowerCase()}-audience-` });
    const contactId = await insertInboxContact(db, workspace.id);
    await deliverToInbox(db, { workspaceId: workspace.id, contactId, title: "Bonjour ✨", body: "Line one\nLine \"two\"\t— ünïcödé", data: { nested: { list: [1, 2.5, null, "x"] } } });
    const [odd] = await db.insert(contacts).values({
      workspaceId: workspace.id,
      email: `odd-${randomUUID()}@example.com`,
      firstName: "Zoë 'O\\Brien'",
      attributes: { plan: "pro", score: 12.75, tags: ["a", "b"], empty: {}, big: 9007199254740991, when: "2026-12-01T10:00:00.123Z" },
    }).returning({ id: contacts.id });
    // Floating point with every digit significant: the dump must carry it exactly.
    await db.insert(contactEngagement).values({ contactId: odd!.id, workspaceId: workspace.id, score: 0.1 + 0.2, scoredAt: new Date("2026-12-01T10:00:00.789Z"), opens: 3, clicks: 1 });
    await db.insert(contactEngagement).values({ contactId, workspaceId: workspace.id, score: -1.7976931348623157e308 / 1e300, scoredAt: new Date("2026-12-01T10:00:00Z") });
    await db.insert(segments).values({ workspaceId: workspace.id, name: "Engaged", filter: { all: [{ field: "email", op: "contains", value: "@example.com" }] } as never });
    await db.insert(suppressions).values({ workspaceId: workspace.id, channel: "email", addressHash: `hash-${randomUUID()}`, reason: "complained" });
    await db.insert(retentionPolicies).values({ workspaceId: workspace.id, inactiveContactDays: 365, messageBodyDays: 30 });
    await db.insert(erasures).values({ workspaceId: workspace.id, subject: "contact", contactId, requestedBy: "dashboard", requestedAt: new Date("2026-12-01T10:00:00.123Z"), eraseAfter: new Date("2026-12-02T10:00:00.123Z") });
    await db.insert(dataExports).values({ workspaceId: workspace.id, subject: "workspace", requestedBy: "api_key:test", createdAt: new Date("2026-12-01T10:00:00.456Z") });
    await db.insert(emailAssets).values({
      workspaceId: workspace.id,
      storageKey: `assets/${workspace.id}/${randomUUID()}`,
      contentType: "image/jpeg",
      width: 1200,
      height: 800,
      bytes: 143_210,
      originalContentType: "image/png",
      originalWidth: 3000,
      originalHeight: 2000,
      originalBytes: 1_834_000,
      sha256: "ab".repeat(32),
      fileName: "Été 'hero'.png",
    });
    // A relationship from the mailbox: doubles with every digit, a summary with quotes and a newline.
    await db.insert(contactRelationships).values({
      contactId: odd!.id,
      workspaceId: workspace.id,
      messagesSent: 12,
      messagesReceived: 18,
      sentLast90Days: 3,
      receivedLast90Days: 4,
      firstInteractionAt: new Date("2026-01-02T03:04:05.678Z"),
      lastInteractionAt: new Date("2026-11-30T10:00:00.001Z"),
      interactionDays: 20,
      usualGapDays: 332 / 19,
      reciprocity: 0.8,
      ownerReplySeconds: 72_000,
      contactReplySeconds: null,
      strength: 71.6,
      peakStrength: 74.9,
      goingCold: false,
      awaitingThreads: 1,
      awaitingSubject: "Re: \"Contrat\" — été",
      awaitingSince: new Date("2026-11-30T10:00:00.001Z"),
      computedAt: new Date("2026-12-01T10:00:00.123Z"),
      summary: "Strong relationship.\nLine two",
      nextAction: "Reply to “Contrat”",
      summarySource: "heuristic",
    });
    await insertAuditEntries(db, [
      { workspaceId: workspace.id, actor: "dashboard", action: "contact.updated", targetType: "contact", targetId: contactId, details: { from: "a", to: "b" } },
      { workspaceId: null, actor: "system", action: "drill.seeded", details: { workspace: workspace.id } },
    ]);
  }
  await db.insert(webhookEvents).values({ provider: "resend", deliveryId: `msg_${randomUUID()}`, type: "email.delivered", payload: { data: { to: ["a@example.com"] }, created_at: "2026-12-01T10:00:00Z" } });
  await db.insert(backups).values({ trigger: "manual", status: "completed", startedAt: new Date("2026-11-30T00:00:00Z"), finishedAt: new Date("2026-11-30T00:01:00Z"), bytes: 1234, manifest: { note: "an older backup" } });
  return { workspaceIds };
}
