import type { Metadata } from "next";
import Link from "next/link";
import { listDateAutomations, type DateAutomation } from "@/db/queries/date-automations";
import { listTemplates } from "@/db/queries/templates";
import { CHANNEL_LABELS } from "@/core/messages/channels";
import { previewDateAutomation } from "@/lib/automations/date-automations";
import { Empty, FormOutcome, NoWorkspace, PageHeader, StatusBadge } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { createDateAutomationAction, pauseDateAutomationAction, resumeDateAutomationAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Automations" };

const FIELD_LABELS: Record<string, string> = { birthday: "Birthday", created_at: "Signup anniversary" };
const fieldLabel = (field: string) => FIELD_LABELS[field] ?? (field.startsWith("attribute:") ? `Attribute ${field.slice("attribute:".length)}` : field);
const clock = (automation: DateAutomation) => `${String(automation.sendHour).padStart(2, "0")}:${String(automation.sendMinute).padStart(2, "0")}`;

export default async function AutomationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Automations" />
        <NoWorkspace />
      </>
    );
  }
  const [automations, templates] = await Promise.all([listDateAutomations(db, { workspaceId: workspace.id, limit: 100 }), listTemplates(db, { workspaceId: workspace.id, limit: 100 })]);
  const now = new Date();
  const previews = await Promise.all(automations.map((automation) => previewDateAutomation(db, { automation, day: "tomorrow", sample: 20, now })));
  const shown = automations.findIndex((automation) => automation.id === param(query, "preview"));
  const notice = param(query, "notice");
  const problem = param(query, "problem");

  return (
    <>
      <PageHeader
        title="Automations"
        subtitle="Date automations send a template on each contact's birthday, signup anniversary or a date attribute, once a year, at a local time in the contact's zone (the workspace's delivery zone when it has none). 29 February falls on 28 February in other years."
      />
      <FormOutcome notice={notice} problem={problem} />
      {automations.length === 0 ? (
        <Empty>No automations yet: create one below or with POST /api/v1/date-automations.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Date</th>
              <th scope="col">Local time</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
              <th scope="col">Tomorrow</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {automations.map((automation, index) => (
              <tr key={automation.id}>
                <td>{automation.name}</td>
                <td>{fieldLabel(automation.dateField)}</td>
                <td>{clock(automation)}</td>
                <td>{CHANNEL_LABELS[automation.channel]}</td>
                <td>
                  <StatusBadge status={automation.status} />
                  {automation.statusReason ? <div className="muted">{automation.statusReason}</div> : null}
                </td>
                <td>
                  <Link href={href("/automations", { workspace: workspace.id, preview: automation.id })} aria-label={`Tomorrow's recipients of ${automation.name}`}>
                    {previews[index]!.count} {previews[index]!.count === 1 ? "contact" : "contacts"}
                  </Link>
                </td>
                <td className="nowrap">
                  <form action={automation.status === "active" ? pauseDateAutomationAction : resumeDateAutomationAction} className="inline-form">
                    <input type="hidden" name="workspace" value={workspace.id} />
                    <input type="hidden" name="id" value={automation.id} />
                    <button type="submit" aria-label={`${automation.status === "active" ? "Pause" : "Resume"} ${automation.name}`}>
                      {automation.status === "active" ? "Pause" : "Resume"}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown >= 0 ? (
        <section aria-label="Tomorrow's recipients">
          <h2>
            Tomorrow ({previews[shown]!.day}): {automations[shown]!.name}
          </h2>
          {previews[shown]!.sample.length === 0 ? (
            <Empty>Nobody tomorrow.</Empty>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Contact</th>
                  <th scope="col">Zone</th>
                  <th scope="col">Local send time</th>
                  <th scope="col">UTC</th>
                </tr>
              </thead>
              <tbody>
                {previews[shown]!.sample.map((row) => (
                  <tr key={row.contactId}>
                    <td>{row.name ?? row.email ?? row.phone ?? row.contactId}</td>
                    <td>{row.zone}</td>
                    <td>{row.localSendTime.replace("T", " ")}</td>
                    <td>{row.sendAt.slice(0, 16).replace("T", " ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {previews[shown]!.count > previews[shown]!.sample.length ? <p className="muted">And {previews[shown]!.count - previews[shown]!.sample.length} more.</p> : null}
        </section>
      ) : null}
      <form action={createDateAutomationAction} className="category-form" aria-label="New automation">
        <h2>New automation</h2>
        <input type="hidden" name="workspace" value={workspace.id} />
        <label>
          Name
          <input name="name" required maxLength={200} placeholder="Birthday wishes" />
        </label>
        <label>
          Date
          <select name="dateField" defaultValue="birthday">
            <option value="birthday">Birthday</option>
            <option value="created_at">Signup anniversary</option>
            <option value="attribute">A date attribute</option>
          </select>
        </label>
        <label>
          Attribute key (for a date attribute)
          <input name="attributeKey" maxLength={64} placeholder="renewal_date" />
        </label>
        <label>
          Local send time
          <input name="sendTime" type="time" required defaultValue="09:00" />
        </label>
        <label>
          Template
          <select name="templateId" required>
            {templates.map((template) => (
              <option key={template.id} value={template.id}>
                {template.name} ({CHANNEL_LABELS[template.channel]})
              </option>
            ))}
          </select>
        </label>
        <label>
          Category (optional)
          <input name="category" maxLength={64} placeholder="marketing" />
        </label>
        <button type="submit">Create automation</button>
      </form>
    </>
  );
}
