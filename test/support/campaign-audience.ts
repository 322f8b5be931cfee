import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { insertList } from "@/db/queries/lists";
import { insertTemplate } from "@/db/queries/templates";

/**
 * A list of `size` subscribed contacts (`<prefix><i>@example.com`) and an email
 * template, written set-based so a benchmark can make 100,000 of them in seconds.
 */
export async function seedCampaignAudience(
  db: Db,
  params: { workspaceId: string; size: number; prefix?: string; template?: { subject: string; body: string } },
): Promise<{ listId: string; templateId: string }> {
  const prefix = params.prefix ?? "c";
  const list = (await insertList(db, { workspaceId: params.workspaceId, name: `${prefix} audience`, description: null }))!;
  const template = await insertTemplate(db, {
    workspaceId: params.workspaceId,
    channel: "email",
    name: `${prefix} template`,
    subject: params.template?.subject ?? "News for {{ contact.first_name | default: 'you' }}",
    body: params.template?.body ?? '<p>Hello {{ contact.first_name }}, read <a href="https://example.com/post?id=1">the post</a>.</p>',
  });
  await db.execute(sql`
    insert into contacts (workspace_id, email, first_name)
    select ${params.workspaceId}::uuid, ${prefix} || i || '@example.com', 'Name' || i
    from generate_series(1, ${params.size}) as i`);
  await db.execute(sql`
    insert into list_members (list_id, contact_id, workspace_id)
    select ${list.id}::uuid, id, workspace_id from contacts
    where workspace_id = ${params.workspaceId}::uuid and email like ${`${prefix}%@example.com`}`);
  return { listId: list.id, templateId: template!.id };
}
