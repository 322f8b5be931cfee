import { describe, expect, it } from "vitest";
import { DomainEnrichmentProvider } from "@/lib/providers/enrichment/domain-enrichment-provider";
import { companyNameFromDomain, domainFacts, emailDomain, registrableDomain } from "@/lib/providers/enrichment/email-domain";
import { FREE_MAIL_DOMAINS } from "@/lib/providers/enrichment/free-mail-domains";

describe("domainFacts", () => {
  it.each([
    // business addresses
    ["ann@acme.com", "acme.com", "Acme"],
    ["ann@acme-corp.co.uk", "acme-corp.co.uk", "Acme Corp"],
    ["ANN@ACME-CORP.CO.UK", "acme-corp.co.uk", "Acme Corp"],
    ["ann@mail.eu.acme.com", "acme.com", "Acme"],
    ["ann@sales.widgets.com.au", "widgets.com.au", "Widgets"],
    ["ann@tokyo.sony.co.jp", "sony.co.jp", "Sony"],
    ["ann@acme.io.", "acme.io", "Acme"],
    ["ann@acme.com..", "acme.com", "Acme"],
    ["ann+newsletter@acme.com", "acme.com", "Acme"],
    ["ann+a@b@acme.com", "acme.com", "Acme"],
    ['"ann@home"@acme.com', "acme.com", "Acme"],
    ["  ann@Acme.com  ", "acme.com", "Acme"],
    ["ann@three-word-name.org", "three-word-name.org", "Three Word Name"],
    ["ann@3m.com", "3m.com", "3m"],
    ["ann@163-consulting.com", "163-consulting.com", "163 Consulting"],
    ["ann@yahoo-partners.com", "yahoo-partners.com", "Yahoo Partners"],
    ["ann@gmail.co", "gmail.co", "Gmail"],
    // IDN: stored as punycode, named in Unicode, whichever form came in
    ["ann@bücher.de", "xn--bcher-kva.de", "Bücher"],
    ["ann@BÜCHER.DE", "xn--bcher-kva.de", "Bücher"],
    ["ann@xn--bcher-kva.de", "xn--bcher-kva.de", "Bücher"],
    ["ann@shop.münchen-bau.de", "xn--mnchen-bau-9db.de", "München Bau"],
  ])("%s → %s / %s", (email, domain, company) => {
    expect(domainFacts(email)).toEqual({ ok: true, domain, company, isFreeMail: false });
  });

  it.each([
    ["ann@gmail.com", "gmail.com"],
    ["Ann.Smith+promo@GMail.com", "gmail.com"],
    ["ann@googlemail.com", "googlemail.com"],
    ["ann@outlook.com", "outlook.com"],
    ["ann@hotmail.co.uk", "hotmail.co.uk"],
    ["ann@live.com", "live.com"],
    ["ann@msn.com", "msn.com"],
    ["ann@yahoo.com", "yahoo.com"],
    ["ann@yahoo.co.jp", "yahoo.co.jp"],
    ["ann@yahoo.com.br", "yahoo.com.br"],
    ["ann@icloud.com", "icloud.com"],
    ["ann@me.com", "me.com"],
    ["ann@mac.com", "mac.com"],
    ["ann@aol.com", "aol.com"],
    ["ann@proton.me", "proton.me"],
    ["ann@protonmail.com", "protonmail.com"],
    ["ann@gmx.de", "gmx.de"],
    ["ann@web.de", "web.de"],
    ["ann@mail.ru", "mail.ru"],
    ["ann@yandex.ru", "yandex.ru"],
    ["ann@qq.com", "qq.com"],
    ["ann@163.com", "163.com"],
    ["ann@zoho.com", "zoho.com"],
    ["ann@fastmail.com", "fastmail.com"],
    ["ann@hey.com", "hey.com"],
    ["ann@tutanota.com", "tutanota.com"],
    ["ann@gmail.com.", "gmail.com"],
    ["ann@GMAIL.COM", "gmail.com"],
    ["ann@bigpond.net.au", "bigpond.net.au"],
  ])("free mail: %s", (email, domain) => {
    expect(domainFacts(email)).toEqual({ ok: true, domain, company: null, isFreeMail: true });
  });

  it.each([
    ["no at sign", "ann.acme.com"],
    ["empty domain", "ann@"],
    ["empty local part", "@acme.com"],
    ["single label", "ann@localhost"],
    ["a bare public suffix", "ann@co.uk"],
    ["a bare TLD", "ann@com"],
    ["an address literal", "ann@[192.0.2.1]"],
    ["an IPv6 literal", "ann@[IPv6:2001:db8::1]"],
    ["a dotted-quad domain", "ann@10.0.0.1"],
    ["an empty label", "ann@acme..com"],
    ["spaces inside", "ann@ac me.com"],
    ["a label over 63 characters", `ann@${"a".repeat(64)}.com`],
    ["invalid punycode", "ann@xn--.com"],
    ["only dots", "ann@..."],
    ["an underscore (not a host name)", "ann@big_data.de"],
  ])("no usable domain: %s", (_case, email) => {
    expect(domainFacts(email)).toMatchObject({ ok: false, reason: expect.any(String) });
  });
});

describe("the building blocks", () => {
  it.each([
    ["acme.com", "acme.com"],
    ["a.b.c.acme.com", "acme.com"],
    ["acme.co.uk", "acme.co.uk"],
    ["x.acme.co.uk", "acme.co.uk"],
    ["co.uk", undefined],
    ["com", undefined],
  ])("registrableDomain(%s) = %s", (domain, expected) => {
    expect(registrableDomain(domain)).toBe(expected);
  });

  it.each([
    ["acme-corp.co.uk", "Acme Corp"],
    ["acme--corp.com", "Acme Corp"],
    ["xn--mnchen-3ya.de", "München"],
  ])("companyNameFromDomain(%s) = %s", (domain, expected) => {
    expect(companyNameFromDomain(domain)).toBe(expected);
  });

  it("emailDomain keeps the full host; the registrable part is derived separately", () => {
    expect(emailDomain("ann@Mail.Acme.COM.")).toBe("mail.acme.com");
  });

  it("every free-mail entry is its own registrable domain, so lookups by registrable domain find it", () => {
    for (const domain of FREE_MAIL_DOMAINS) expect(registrableDomain(domain), domain).toBe(domain);
  });
});

describe("DomainEnrichmentProvider", () => {
  it("answers one result per contact, in order, without any network", async () => {
    const provider = new DomainEnrichmentProvider();
    const results = await provider.enrich([
      { contactId: "a", email: "ann@acme-corp.co.uk" },
      { contactId: "b", email: "bo@gmail.com" },
      { contactId: "c", email: "cy@localhost" },
    ]);
    expect(results).toEqual([
      { contactId: "a", status: "enriched", domain: "acme-corp.co.uk", company: "Acme Corp", isFreeMail: false },
      { contactId: "b", status: "enriched", domain: "gmail.com", company: null, isFreeMail: true },
      { contactId: "c", status: "failed", error: "the email address has no usable domain" },
    ]);
    expect(provider.name).toBe("domain");
  });
});
