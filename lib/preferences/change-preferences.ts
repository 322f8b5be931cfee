import type { Db } from "@/db";
import { type ChoiceCell, type PreferenceSource, setContactChoices } from "@/db/queries/contact-preferences";
import { listCategories } from "@/db/queries/notification-categories";
import { unknownCategoryMessage } from "@/core/preferences/category-key";
import type { PreferenceChange } from "./preference-change-request";

export type ChangeOutcome = { ok: true; cells: ChoiceCell[] } | { ok: false; fields: Record<string, string[]> };

/**
 * Checks and writes a contact's changed cells: a category the workspace lacks is named with the
 * ones it has, a required one is refused (no one opts out of it, so there is nothing to choose);
 * nothing is written unless every cell is valid. The caller owns the contact (invariant 5).
 */
export async function changePreferences(
  db: Db,
  params: { workspaceId: string; contactId: string; changes: readonly PreferenceChange[]; source: PreferenceSource },
): Promise<ChangeOutcome> {
  const categories = await listCategories(db, params);
  const byKey = new Map(categories.map((c) => [c.key, c]));
  const fields: Record<string, string[]> = {};
  const cells: ChoiceCell[] = [];
  params.changes.forEach((change, index) => {
    if (!change.category) {
      cells.push({ channel: change.channel, categoryId: null, enabled: change.enabled });
      return;
    }
    const category = byKey.get(change.category);
    if (!category) fields[`preferences.${index}.category`] = [unknownCategoryMessage(change.category, [...byKey.keys()])];
    else if (category.required) fields[`preferences.${index}.category`] = [`${category.key} is required: contacts cannot opt out of it, so it has no preference to change`];
    else cells.push({ channel: change.channel, categoryId: category.id, enabled: change.enabled });
  });
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  await setContactChoices(db, { workspaceId: params.workspaceId, contactId: params.contactId, cells, source: params.source });
  return { ok: true, cells };
}
