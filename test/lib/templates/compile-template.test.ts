import { describe, expect, it } from "vitest";
import { compileTemplate } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";

const email = (body: string, subject = "Hello {{ name }}") => compileTemplate({ channel: "email", subject, body });

describe("compileTemplate", () => {
  it("renders subject, escaped HTML and a text part", async () => {
    const rendered = await email('<p>Hi {{ name }}, see <a href="https://x.test/o">your order</a></p>').render({ name: "Ann & <Bob>" });
    expect(rendered).toEqual({
      channel: "email",
      subject: "Hello Ann & <Bob>",
      html: '<p>Hi Ann &amp; &lt;Bob&gt;, see <a href="https://x.test/o">your order</a></p>',
      text: "Hi Ann & <Bob>, see your order (https://x.test/o)",
    });
  });

  it("renders SMS as plain text without escaping", async () => {
    const rendered = await compileTemplate({ channel: "sms", body: "Code {{ code }} & go" }).render({ code: "<42>" });
    expect(rendered).toEqual({ channel: "sms", text: "Code <42> & go" });
  });

  it.each([
    ["WhatsApp as plain text", { channel: "whatsapp" as const, body: "Code {{ code }} & go" }, { channel: "whatsapp", text: "Code <42> & go" }],
    ["push with its subject as the title", { channel: "push" as const, subject: "Order  {{ code }}", body: "Shipped & <soon>" }, { channel: "push", title: "Order <42>", text: "Shipped & <soon>" }],
    ["in-app with a heading", { channel: "in_app" as const, subject: "Hi {{ code }}", body: "Body" }, { channel: "in_app", title: "Hi <42>", text: "Body" }],
    ["in-app without a heading", { channel: "in_app" as const, body: "Body {{ code }}" }, { channel: "in_app", title: null, text: "Body <42>" }],
  ])("renders %s", async (_name, source, expected) => {
    expect(await compileTemplate(source).render({ code: "<42>" })).toEqual(expected);
  });

  it("refuses a push template without a title", () => {
    expect(() => compileTemplate({ channel: "push", body: "x" })).toThrow(/needs a title/);
  });

  it("exposes nested data and filters", async () => {
    const rendered = await email("{{ order.items | size }} items, total {{ order.total | round: 2 }}", "Order").render({ order: { items: [1, 2], total: 9.456 } });
    expect(rendered.channel === "email" && rendered.html).toBe("2 items, total 9.46");
  });

  it.each([
    ["an unknown variable", "Hi {{ nobody }}", {}, "template variable `nobody` is undefined in the body, line 1"],
    ["an unknown variable further down", "Hi\n\n{{ first_name }}", {}, "template variable `first_name` is undefined in the body, line 3"],
    ["a missing attribute", "{{ contact.attributes.company }}", { contact: { attributes: {} } }, "template variable `contact.attributes.company` is undefined in the body, line 1"],
    ["a prototype property", "{{ constructor }}", {}, "template variable `constructor` is undefined in the body, line 1"],
    ["a property of a string", "{{ name.constructor.name }}", { name: "x" }, /template variable `name\.constructor(\.name)?` is undefined/],
    ["__proto__ on data", "{{ data.__proto__ }}", { data: {} }, /template variable `data\.__proto__` is undefined/],
    ["a huge loop", "{% for i in (1..100000000) %}{{ i }}{% endfor %}", {}, /exceeds a size or time limit/],
    ["nested loops", "{% for i in (1..5000) %}{% for j in (1..5000) %}x{% endfor %}{% endfor %}", {}, /exceeds a size or time limit/],
    ["a file include", "{% include 'etc/passwd' %}", {}, "templates cannot include other files in the body, line 1"],
  ])("rejects %s with a TemplateError naming it and where", async (_case, body, data, message) => {
    await expect(email(body, "Hi").render(data)).rejects.toThrow(TemplateError);
    await expect(email(body, "Hi").render(data)).rejects.toThrow(message);
  });

  it("says which variable, in which part and on which line, as structured data", async () => {
    const error = await email("Hi", "Hello {{ first_name }}")
      .render({})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).problem).toEqual({
      part: "subject",
      line: 1,
      kind: "undefined_variable",
      variable: "first_name",
      message: "template variable `first_name` is undefined in the subject, line 1",
    });
  });

  it.each([
    ["`default`", "{{ contact.attributes.company | default: 'there' }}", "there"],
    ["`if`", "{% if contact.attributes.vip %}VIP{% else %}guest{% endif %}", "guest"],
    ["`unless`", "{% unless contact.attributes.vip %}guest{% endunless %}", "guest"],
  ])("lets %s guard a variable some recipients lack", async (_case, body, expected) => {
    const rendered = await email(body, "Hi").render({ contact: { attributes: {} } });
    expect(rendered.channel === "email" && rendered.html).toBe(expected);
  });

  it("renders a null field as empty, not as an error", async () => {
    const rendered = await email("Hi {{ contact.first_name }}!", "Hi").render({ contact: { first_name: null } });
    expect(rendered.channel === "email" && rendered.html).toBe("Hi !");
  });

  it("lists the variables it reads, with part and line, leaving out what it assigns itself", () => {
    const template = email('{% assign greeting = "Hi" %}{{ greeting }} {{ contact.first_name }}\n{{ unsubscribe_url }}\n{{ contact[key] }}', "For {{ contact.email }}");
    expect(template.variables.map(({ part, line, path }) => [part, line, path])).toEqual([
      ["subject", 1, ["contact", "email"]],
      ["body", 1, ["contact", "first_name"]],
      ["body", 2, ["unsubscribe_url"]],
      ["body", 3, ["contact", null]],
      ["body", 3, ["key"]],
    ]);
  });

  it.each([
    ["unclosed tag", "{% if x %}", /^the template does not parse \(tag \{% if x %\} not closed\) in the body, line 1$/],
    ["unclosed output", "{{ name", /does not parse .* in the body, line 1$/],
    ["unknown tag", "Hi\n{% explode %}", /does not parse .* in the body, line 2$/],
    ["an unknown filter", "Hi\n{{ name | shout }}", /^unknown filter `shout` in the body, line 2$/],
  ])("rejects a template with %s at compile time, saying where", (_case, body, message) => {
    expect(() => email(body)).toThrow(TemplateError);
    expect(() => email(body)).toThrow(message);
  });

  it("requires a subject for email", () => {
    expect(() => compileTemplate({ channel: "email", body: "x" })).toThrow(/an email template needs a subject/);
  });

  it("rejects templates over the parse limit", () => {
    expect(() => email("x".repeat(200_000))).toThrow(TemplateError);
  });
});
