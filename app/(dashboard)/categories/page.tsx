import type { Metadata } from "next";
import Link from "next/link";
import { listCategories, type NotificationCategory } from "@/db/queries/notification-categories";
import { CHANNEL_LABELS, CHANNELS } from "@/core/messages/channels";
import { CATEGORY_KEY_RULE } from "@/core/preferences/category-key";
import { Empty, FormOutcome, NoWorkspace, PageHeader } from "../_components/ui";
import { href, param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { createCategoryAction, deleteCategoryAction, updateCategoryAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Categories" };

/** The channels a category is off on by default (opt-in there), in words. */
function offByDefault(category: NotificationCategory): string {
  const off = CHANNELS.filter((channel) => category.channelDefaults[channel] === false).map((channel) => CHANNEL_LABELS[channel]);
  return off.length === 0 ? "On everywhere" : `Off on ${off.join(", ")}`;
}

function CategoryFields({ category }: { category?: NotificationCategory }) {
  return (
    <>
      <label>
        Name
        <input name="name" required maxLength={200} defaultValue={category?.name} />
      </label>
      <label>
        Description
        <input name="description" maxLength={2000} defaultValue={category?.description ?? ""} />
      </label>
      <label className="check">
        <input type="checkbox" name="required" defaultChecked={category?.required ?? false} /> Required (no one can opt out)
      </label>
      <label className="check">
        <input type="checkbox" name="urgent" defaultChecked={category?.urgent ?? false} /> Urgent (through quiet hours)
      </label>
      <fieldset>
        <legend>On by default</legend>
        {CHANNELS.map((channel) => (
          <label key={channel} className="check">
            <input type="checkbox" name={`default-${channel}`} defaultChecked={category?.channelDefaults[channel] ?? true} /> {CHANNEL_LABELS[channel]}
          </label>
        ))}
      </fieldset>
    </>
  );
}

export default async function CategoriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) {
    return (
      <>
        <PageHeader title="Categories" />
        <NoWorkspace />
      </>
    );
  }
  const categories = await listCategories(db, { workspaceId: workspace.id });
  const editing = categories.find((category) => category.key === param(query, "edit"));
  const notice = param(query, "notice");
  const problem = param(query, "problem");

  return (
    <>
      <PageHeader
        title="Categories"
        subtitle="Topics contacts choose per channel on their preference center. A message or campaign names one by its key; required ones always go out."
      />
      <FormOutcome notice={notice} problem={problem} />
      {categories.length === 0 ? (
        <Empty>No categories yet: create one below or with POST /api/v1/categories.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Name</th>
              <th scope="col">Required</th>
              <th scope="col">Urgent</th>
              <th scope="col">Defaults</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {categories.map((category) => (
              <tr key={category.id}>
                <td>
                  <code>{category.key}</code>
                </td>
                <td>
                  {category.name}
                  {category.description ? <div className="muted">{category.description}</div> : null}
                </td>
                <td>{category.required ? "Required" : "—"}</td>
                <td>{category.urgent ? "Urgent" : "—"}</td>
                <td>{offByDefault(category)}</td>
                <td className="nowrap">
                  <Link href={href("/categories", { workspace: workspace.id, edit: category.key })} aria-label={`Edit ${category.key}`}>
                    Edit
                  </Link>{" "}
                  <form action={deleteCategoryAction} className="inline-form">
                    <input type="hidden" name="workspace" value={workspace.id} />
                    <input type="hidden" name="key" value={category.key} />
                    <button type="submit" aria-label={`Delete ${category.key}`}>
                      Delete
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <form action={updateCategoryAction} className="category-form" aria-label={`Edit ${editing.key}`}>
          <h2>
            Edit <code>{editing.key}</code>
          </h2>
          <input type="hidden" name="workspace" value={workspace.id} />
          <input type="hidden" name="key" value={editing.key} />
          <CategoryFields category={editing} />
          <button type="submit">Save</button> <Link href={href("/categories", { workspace: workspace.id })}>Cancel</Link>
        </form>
      ) : null}
      <form action={createCategoryAction} className="category-form" aria-label="New category">
        <h2>New category</h2>
        <input type="hidden" name="workspace" value={workspace.id} />
        <label>
          Key
          <input name="key" required pattern="[a-z0-9][a-z0-9_\-]{0,63}" title={CATEGORY_KEY_RULE} placeholder="billing" />
        </label>
        <CategoryFields />
        <button type="submit">Create category</button>
      </form>
    </>
  );
}
