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

  it("exposes nested data and filters", async () => {
    const rendered = await email("{{ order.items | size }} items, total {{ order.total | round: 2 }}", "Order").render({ order: { items: [1, 2], total: 9.456 } });
    expect(rendered.channel === "email" && rendered.html).toBe("2 items, total 9.46");
  });

  it.each([
    ["an unknown variable", "Hi {{ nobody }}", {}, /undefined variable: nobody/],
    ["a prototype property", "{{ constructor }}", {}, /undefined variable: constructor/],
    ["a property of a string", "{{ name.constructor.name }}", { name: "x" }, /undefined variable/],
    ["__proto__ on data", "{{ data.__proto__ }}", { data: {} }, /undefined variable/],
    ["a huge loop", "{% for i in (1..100000000) %}{{ i }}{% endfor %}", {}, /limit exceeded/],
    ["nested loops", "{% for i in (1..5000) %}{% for j in (1..5000) %}x{% endfor %}{% endfor %}", {}, /limit exceeded/],
    ["a file include", "{% include 'etc/passwd' %}", {}, /Failed to lookup/],
  ])("rejects %s with a TemplateError", async (_case, body, data, message) => {
    await expect(email(body, "Hi").render(data)).rejects.toThrow(TemplateError);
    await expect(email(body, "Hi").render(data)).rejects.toThrow(message);
  });

  it.each([
    ["unclosed tag", "{% if x %}"],
    ["unclosed output", "{{ name"],
    ["unknown tag", "{% explode %}"],
    ["an unknown filter", "{{ name | shout }}"],
  ])("rejects a template with %s at compile time", (_case, body) => {
    expect(() => email(body)).toThrow(TemplateError);
  });

  it("requires a subject for email", () => {
    expect(() => compileTemplate({ channel: "email", body: "x" })).toThrow(/needs a subject/);
  });

  it("rejects templates over the parse limit", () => {
    expect(() => email("x".repeat(200_000))).toThrow(TemplateError);
  });
});
