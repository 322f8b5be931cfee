import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { insertCampaign } from "@/db/queries/campaigns";
import { insertMessage } from "@/db/queries/messages";
import { insertSegment } from "@/db/queries/segments";
import { insertTemplate } from "@/db/queries/templates";
import { contacts } from "@/db/schema";
import { type EngagementFact, recordEngagement } from "@/lib/analytics/record-engagement";
import { createWorkspace } from "@/lib/workspaces/create-workspace";

/** People whose data must never reach a prompt: the privacy tests look for each of these strings. */
export const PEOPLE = [
  { firstName: "Wilhelmina", lastName: "Quarrington", email: "wilhelmina.quarrington@privacy-test.example", plan: "platinum-secret" },
  { firstName: "Bartholomew", lastName: "Featherstonehaugh", email: "bart.feather@privacy-test.example", plan: "platinum-secret" },
  { firstName: "Ottoline", lastName: "Marchbanks", email: "ottoline.m@privacy-test.example", plan: "platinum-secret" },
];

export const PII_STRINGS = PEOPLE.flatMap((person) => [person.firstName, person.lastName, person.email, person.plan]);

export type RecommendationWorld = { apiKey: string; workspaceId: string; templateId: string; campaignId: string; pastCampaignId: string; segmentId: string };

const fact = (messageId: string, type: EngagementFact["type"], at: string, extra: Partial<EngagementFact> = {}): EngagementFact => ({
  messageId,
  type,
  source: type === "clicked" ? "redirect" : type === "opened" ? "pixel" : "send",
  occurredAt: new Date(at),
  dedupeKey: randomUUID(),
  ...extra,
});

/**
 * A workspace with a template, a segment naming a value (an address domain), a sent campaign
 * and an earlier one, whose recipients opened and clicked on Tuesdays at 09:00 UTC (and a privacy
 * proxy at 03:00, which must not count). Seeded through recordEngagement, the one writer.
 */
export async function seedRecommendationWorld(db: Db, name = "AI"): Promise<RecommendationWorld> {
  const { workspace, apiKey } = await createWorkspace(db, { name: `${name} ${randomUUID().slice(0, 8)}` });
  const workspaceId = workspace.id;
  const template = (await insertTemplate(db, {
    workspaceId,
    channel: "email",
    name: "Winter sale",
    subject: "Our WINTER SALE starts today with great savings for the whole family!!",
    body: '<p>Hello {{ contact.first_name }},</p><p>Everything is 30% off until Sunday. Act now.</p><a href="https://shop.example.com/sale?utm=mail">Shop</a>',
  }))!;
  const pastTemplate = (await insertTemplate(db, { workspaceId, channel: "email", name: "Autumn", subject: "{{ contact.first_name }}, autumn picks?", body: "<p>Autumn</p>{{ unsubscribe_url }}" }))!;
  const segment = (await insertSegment(db, { workspaceId, name: "Privacy testers", filter: { field: "email", op: "ends_with", value: "@privacy-test.example" } }))!;
  const campaign = await insertCampaign(db, { workspaceId, name: "Winter sale campaign", channel: "email", templateId: template.id, audience: { segmentId: segment.id }, status: "sent" });
  const past = await insertCampaign(db, { workspaceId, name: "Autumn campaign", channel: "email", templateId: pastTemplate.id, audience: { segmentId: segment.id }, status: "sent" });

  const facts: EngagementFact[] = [];
  for (const person of PEOPLE) {
    const [contact] = await db
      .insert(contacts)
      .values({ workspaceId, email: person.email, firstName: person.firstName, lastName: person.lastName, attributes: { plan: person.plan } })
      .returning();
    for (const [campaignId, day] of [
      [campaign.id, "2026-12-01"],
      [past.id, "2026-11-24"],
    ] as const) {
      const { row } = await insertMessage(db, {
        workspaceId,
        idempotencyKey: randomUUID(),
        kind: "campaign",
        campaignId,
        channel: "email",
        recipient: person.email,
        contactId: contact!.id,
        status: "sent",
        sentAt: new Date(`${day}T08:00:00Z`),
      });
      facts.push(
        fact(row.id, "sent", `${day}T08:00:00Z`, { applied: { firstOpen: false, firstClick: false } }),
        fact(row.id, "delivered", `${day}T08:00:05Z`, { applied: { firstOpen: false, firstClick: false } }),
        fact(row.id, "opened", `${day}T03:00:00Z`, { machine: "apple-privacy-proxy" }),
        fact(row.id, "opened", `${day}T09:10:00Z`),
        fact(row.id, "clicked", `${day}T09:12:00Z`, { url: `https://shop.example.com/sale?email=${encodeURIComponent(person.email)}` }),
      );
    }
  }
  await recordEngagement(db, facts);
  return { apiKey, workspaceId, templateId: template.id, campaignId: campaign.id, pastCampaignId: past.id, segmentId: segment.id };
}
