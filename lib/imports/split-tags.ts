/** Google's own group that every contact is in ("* myContacts", "My Contacts"): not a tag anyone chose. */
const SYSTEM_GROUPS = new Set(["mycontacts", "my contacts", "system group: my contacts"]);
/** A tag longer than this is not a tag (a note pasted into the wrong column): it is left out. */
export const TAG_MAX_CHARS = 100;

/**
 * Splits a cell of tags, labels, groups or categories the way the tools that export them write
 * several: Google " ::: " (with "* " marking system groups), Mailchimp "\"VIP\",\"Blog\"", Outlook
 * and HubSpot "a;b", others "a, b" or "a|b". Adds to `into` (de-duplicated, file order kept).
 */
export function splitTags(cell: string, into: string[]): void {
  let parts: string[];
  if (cell.includes(":::")) parts = cell.split(":::");
  else if (cell.includes('"')) parts = [...cell.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!.replaceAll('""', '"'));
  else parts = cell.split(/[;,|]/);
  for (const part of parts) {
    // Control characters have no place in a name (and the merge joins names with one).
    const tag = part.replace(/\p{Cc}+/gu, " ").trim().replace(/^\*\s*/, "");
    if (tag === "" || tag.length > TAG_MAX_CHARS || SYSTEM_GROUPS.has(tag.toLowerCase())) continue;
    if (!into.includes(tag)) into.push(tag);
  }
}
