import { describe, expect, it } from "vitest";
import { contacts } from "@/db/schema";
import { CONTACT_FIELD_COLUMNS, CONTACT_FIELD_SPECS } from "@/core/contacts/contact-fields";
import { CONTACT_FIELDS } from "@/core/imports/contact-fields";
import { SEGMENT_FIELDS } from "@/core/segments/segment-fields";
import { CONTACT_VARIABLE } from "@/lib/templates/template-variables";

describe("the contact field list", () => {
  it("names real columns of the contacts table, under the key drizzle uses", () => {
    for (const spec of CONTACT_FIELD_SPECS) expect(contacts[spec.key].name).toBe(spec.column);
  });

  it("is what an import column can fill", () => {
    expect([...CONTACT_FIELDS]).toEqual(CONTACT_FIELD_COLUMNS);
  });

  it("is what a segment can filter on, besides the fields Sendline keeps", () => {
    expect(SEGMENT_FIELDS).toEqual(expect.arrayContaining(CONTACT_FIELD_SPECS.map((spec) => spec.key)));
  });

  it("is what a template sees of a contact, under the column names", () => {
    expect(Object.keys(CONTACT_VARIABLE.properties ?? {})).toEqual(expect.arrayContaining(CONTACT_FIELD_COLUMNS));
  });
});
