import type { Metadata } from "next";
import { CHANNEL_LABELS } from "@/core/messages/channels";
import { describePeriod } from "@/core/delivery/frequency-cap";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import { listPendingDigests } from "@/db/queries/digests";
import { listCategories } from "@/db/queries/notification-categories";
import { Empty, Fields, FormOutcome, NoWorkspace, PageHeader, Time } from "../_components/ui";
import { cancelDigestAction, flushDigestAction, saveQuietHoursAction } from "./actions";
import { param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Delivery rules" };

/** How many pending digests the page lists: the ones waiting longest. */
const DIGESTS_SHOWN = 50;

/**
 * The workspace's delivery rules as the senders apply them: quiet hours, each category's
 * urgency, digest window and frequency cap, and the digests now gathering. Quiet hours are set
 * here or with `PATCH /api/v1/delivery-settings`; a category's rules with
 * `/api/v1/delivery-settings/categories/{key}`; a pending digest is sent now or cancelled here or
 * through `/api/v1/digests/{id}`.
 */
export default async function DeliveryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  const [settings, categories, digests] = await Promise.all([
    getDeliverySettings(db, { workspaceId: workspace.id }),
    listCategories(db, { workspaceId: workspace.id }),
    listPendingDigests(db, { workspaceId: workspace.id, limit: DIGESTS_SHOWN }),
  ]);
  const quiet = settings.quietHoursStart && settings.quietHoursEnd ? `${settings.quietHoursStart}–${settings.quietHoursEnd}` : "None";
  const notice = param(query, "notice");
  const problem = param(query, "problem");
  return (
    <>
      <PageHeader
        title="Delivery rules"
        subtitle={<>Notifications inside a contact&apos;s quiet hours wait until they end; urgent categories go at once. Capped categories suppress what is over the cap; digest categories gather a contact&apos;s notifications into one message.</>}
      />
      <FormOutcome notice={notice} problem={problem} />
      <section>
        <h2>Quiet hours</h2>
        <Fields
          rows={[
            ["Quiet hours", quiet],
            ["Time zone", <>{settings.timezone} (for contacts without one of their own)</>],
          ]}
        />
        <form action={saveQuietHoursAction} className="category-form" aria-label="Quiet hours">
          <input type="hidden" name="workspace" value={workspace.id} />
          <label>
            Start (local time)
            <input name="start" type="time" defaultValue={settings.quietHoursStart?.slice(0, 5) ?? ""} />
          </label>
          <label>
            End (local time; before the start spans midnight)
            <input name="end" type="time" defaultValue={settings.quietHoursEnd?.slice(0, 5) ?? ""} />
          </label>
          <label>
            Time zone
            <input name="timezone" defaultValue={settings.timezone} placeholder="Europe/Berlin" />
          </label>
          <button type="submit">Save quiet hours</button>
          <span className="muted">Leave both times empty to turn quiet hours off.</span>
        </form>
      </section>
      <section>
        <h2>Categories</h2>
        {categories.length === 0 ? (
          <Empty>No notification categories yet.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Urgent</th>
                <th scope="col">Digest window</th>
                <th scope="col">Frequency cap</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((category) => (
                <tr key={category.id}>
                  <td>
                    {category.name} <code>{category.key}</code>
                  </td>
                  <td>{category.urgent ? "Yes: skips quiet hours" : "No"}</td>
                  <td>{category.digestWindowSeconds ? describePeriod(category.digestWindowSeconds) : "—"}</td>
                  <td>{category.capLimit && category.capPeriodSeconds ? `${category.capLimit} per ${describePeriod(category.capPeriodSeconds)} per channel` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h2>Pending digests</h2>
        {digests.length === 0 ? (
          <Empty>No digest is gathering notifications.</Empty>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Category</th>
                <th scope="col">Channel</th>
                <th scope="col" className="num">Notifications</th>
                <th scope="col">Sends</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {digests.map((digest) => (
                <tr key={digest.id}>
                  <td>
                    <a href={`/contacts/${digest.contactId}?workspace=${workspace.id}`}>{digest.contactId}</a>
                  </td>
                  <td>{digest.category}</td>
                  <td>{CHANNEL_LABELS[digest.channel]}</td>
                  <td className="num">{digest.itemCount}</td>
                  <td>
                    <Time at={digest.flushAt} />
                  </td>
                  <td>
                    <form action={flushDigestAction} className="inline-form">
                      <input type="hidden" name="workspace" value={workspace.id} />
                      <input type="hidden" name="digest" value={digest.id} />
                      <button type="submit">Send now</button>
                    </form>{" "}
                    <form action={cancelDigestAction} className="inline-form">
                      <input type="hidden" name="workspace" value={workspace.id} />
                      <input type="hidden" name="digest" value={digest.id} />
                      <button type="submit">Cancel</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
