/** A category's key, as messages, choices and links name it: lowercase letters, digits, `-` and `_`. */
export const CATEGORY_KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const CATEGORY_KEY_RULE = "1 to 64 lowercase letters, digits, - and _, starting with a letter or digit";

/** The 400 message for a key the workspace does not have, naming the ones it has. */
export function unknownCategoryMessage(key: string, known: readonly string[]): string {
  if (known.length === 0) return `unknown category ${JSON.stringify(key)}: this workspace has no categories yet (create one with POST /api/v1/categories)`;
  return `unknown category ${JSON.stringify(key)}; this workspace's categories are: ${known.join(", ")}`;
}
