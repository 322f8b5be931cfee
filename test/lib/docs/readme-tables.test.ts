import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { importColumnsMarkdown, README_SECTIONS, sectionEnd, sectionStart, templateVariablesMarkdown, withReadmeTables } from "@/lib/docs/readme-tables";
import { CONTACT_FIELD_SYNONYMS, CONTACT_FIELDS } from "@/core/imports/contact-fields";
import { CONTACT_VARIABLE } from "@/lib/templates/template-variables";

const readme = fs.readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

describe("README's generated tables", () => {
  it("are what the code says (run `npm run docs:readme` after changing it)", () => {
    expect(withReadmeTables(readme)).toBe(readme);
  });

  it("each sit between their markers once", () => {
    for (const section of README_SECTIONS) {
      expect(readme.split(sectionStart(section)).length, section.name).toBe(2);
      expect(readme.split(sectionEnd(section)).length, section.name).toBe(2);
    }
  });

  it("list every template variable, with the ones only email has marked", () => {
    const table = templateVariablesMarkdown();
    for (const name of Object.keys(CONTACT_VARIABLE.properties!)) expect(table).toContain(name === "attributes" ? "`contact.attributes.<key>`" : `\`contact.${name}\``);
    expect(table).toMatch(/\| `unsubscribe_url` \| [^\n]*Email only\./);
  });

  it("list every contact field an import fills, its mapping value and its header synonyms", () => {
    const table = importColumnsMarkdown();
    for (const field of CONTACT_FIELDS) {
      const row = table.split("\n").find((line) => line.startsWith(`| ${field} | \`${field}\` |`));
      expect(row, field).toBeDefined();
      for (const synonym of CONTACT_FIELD_SYNONYMS[field]) expect(row).toContain(`\`${synonym}\``);
    }
    expect(table).toContain("`attribute:<key>`");
    expect(table).toContain("`ignore`");
  });
});
