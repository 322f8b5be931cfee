import { describe, expect, it } from "vitest";
import { compileTemplate } from "@/lib/templates/compile-template";
import { type TemplateContact, templateVariables } from "@/lib/templates/template-variables";

const contact = (birthday: Pick<TemplateContact, "birthday" | "birthdayMonth" | "birthdayDay">): TemplateContact => ({
  id: "c1",
  email: "ann@example.com",
  phone: null,
  firstName: "Ann",
  lastName: null,
  locale: null,
  timezone: null,
  attributes: {},
  ...birthday,
});

describe("templateVariables", () => {
  it.each([
    [{ birthday: "1990-11-23", birthdayMonth: 11, birthdayDay: 23 }, { birthday: "1990-11-23", birthday_month: 11, birthday_day: 23 }],
    [{ birthday: null, birthdayMonth: 11, birthdayDay: 23 }, { birthday: "--11-23", birthday_month: 11, birthday_day: 23 }],
    [{ birthday: null, birthdayMonth: null, birthdayDay: null }, { birthday: null, birthday_month: null, birthday_day: null }],
  ])("a contact's birthday %j is %j", (columns, expected) => {
    expect(templateVariables({}, contact(columns)).contact).toMatchObject(expected);
  });

  it("renders a year-less birthday in a template", async () => {
    const template = compileTemplate({ channel: "sms", body: "Happy birthday on {{ contact.birthday_day }}/{{ contact.birthday_month }} ({{ contact.birthday }})" });
    const rendered = await template.render(templateVariables({}, contact({ birthday: null, birthdayMonth: 11, birthdayDay: 23 })));
    expect(rendered).toMatchObject({ text: "Happy birthday on 23/11 (--11-23)" });
  });
});
