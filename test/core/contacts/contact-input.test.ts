import { describe, expect, it } from "vitest";
import { contactPatchInput, contactUpsertInput, PROTECTED_CONTACT_FIELDS } from "@/core/contacts/contact-input";

const upsert = contactUpsertInput({ defaultRegion: "GB" });

function fieldErrors(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
}

describe("contactUpsertInput", () => {
  it("normalises every field and splits attribute sets from removals", () => {
    const result = upsert.parse({
      email: " Ada@Example.com ",
      phone: "020 7946 0958",
      firstName: "  Ada ",
      lastName: "",
      locale: "en_gb",
      timezone: "europe/london",
      birthday: "1815-12-10".replace("1815", "1915"),
      attributes: { plan: "pro", seats: 3, legacy: null },
    });
    expect(result).toEqual({
      email: "ada@example.com",
      phone: "+442079460958",
      firstName: "Ada",
      lastName: null,
      locale: "en-GB",
      timezone: "Europe/London",
      birthday: "1915-12-10",
      attributes: { set: { plan: "pro", seats: 3 }, remove: ["legacy"] },
    });
  });

  it("requires an email", () => {
    expect(fieldErrors(upsert.safeParse({ firstName: "Ada" }))).toHaveProperty("email");
  });

  it.each(PROTECTED_CONTACT_FIELDS.map((field) => [field]))("refuses to mass-assign %s, naming the field", (field) => {
    const errors = fieldErrors(upsert.safeParse({ email: "a@example.com", [field]: "x" }));
    expect(errors[field]).toMatch(/cannot be set/);
  });

  it("refuses absurdly nested attributes with a field error, not a stack overflow", () => {
    const deep: unknown = JSON.parse(`${"[".repeat(100_000)}1${"]".repeat(100_000)}`);
    expect(fieldErrors(upsert.safeParse({ email: "a@example.com", attributes: { deep } }))).toHaveProperty("attributes");
  });

  it("refuses unknown fields", () => {
    expect(upsert.safeParse({ email: "a@example.com", isAdmin: true }).success).toBe(false);
  });

  it.each([
    [{ phone: "12345" }, "phone"],
    [{ timezone: "Mars/Base" }, "timezone"],
    [{ birthday: "1990-02-30" }, "birthday"],
    [{ locale: "not a locale" }, "locale"],
    [{ attributes: { "plan'--": "x" } }, "attributes.plan'--"],
    [{ attributes: { "a.b": 1 } }, "attributes.a.b"],
    [{ attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) }, "attributes"],
    [{ attributes: { big: "x".repeat(20_000) } }, "attributes"],
    [{ firstName: "x".repeat(201) }, "firstName"],
  ])("reports %j on its field", (fields, path) => {
    expect(fieldErrors(upsert.safeParse({ email: "a@example.com", ...fields }))).toHaveProperty([path]);
  });
});

describe("contactPatchInput", () => {
  const patch = contactPatchInput({ defaultRegion: "US" });

  it("takes any subset and lets null clear a field", () => {
    expect(patch.parse({ phone: null, firstName: "Bo" })).toEqual({ phone: null, firstName: "Bo" });
  });

  it("refuses an empty patch", () => {
    expect(patch.safeParse({}).success).toBe(false);
  });

  it("refuses status even alongside valid fields", () => {
    expect(fieldErrors(patch.safeParse({ firstName: "Bo", status: "subscribed" }))).toHaveProperty("status");
  });
});
