/**
 * Multi-label public suffixes under which companies register: enough to find the registrable
 * domain of business addresses (acme.co.uk, not co.uk) without shipping the whole Public Suffix
 * List. Anything not listed is treated as a one-label suffix (acme.com, acme.de, acme.io).
 */
export const MULTI_LABEL_PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  // United Kingdom
  "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "ac.uk", "gov.uk", "sch.uk", "nhs.uk", "police.uk",
  // Australia, New Zealand
  "com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
  "co.nz", "net.nz", "org.nz", "ac.nz", "govt.nz", "school.nz",
  // Japan, Korea, China, Hong Kong, Taiwan
  "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "ed.jp", "gr.jp", "lg.jp",
  "co.kr", "or.kr", "ne.kr", "ac.kr", "go.kr", "re.kr",
  "com.cn", "net.cn", "org.cn", "edu.cn", "gov.cn",
  "com.hk", "org.hk", "net.hk", "edu.hk", "gov.hk",
  "com.tw", "org.tw", "net.tw", "edu.tw", "gov.tw",
  // South and South-East Asia
  "co.in", "net.in", "org.in", "firm.in", "gen.in", "ind.in", "ac.in", "edu.in", "gov.in",
  "com.sg", "net.sg", "org.sg", "edu.sg", "gov.sg",
  "com.my", "net.my", "org.my", "edu.my", "gov.my",
  "co.id", "or.id", "ac.id", "go.id", "web.id",
  "co.th", "in.th", "ac.th", "go.th", "or.th",
  "com.ph", "net.ph", "org.ph", "com.vn", "net.vn", "com.pk", "net.pk", "org.pk", "com.bd",
  // Middle East and Africa
  "co.il", "org.il", "ac.il", "gov.il", "com.tr", "net.tr", "org.tr", "gen.tr",
  "com.sa", "com.eg", "com.qa", "co.ae",
  "co.za", "org.za", "net.za", "ac.za", "gov.za", "co.ke", "or.ke", "com.ng", "co.tz", "co.ug",
  // The Americas
  "com.br", "net.br", "org.br", "gov.br", "edu.br", "com.mx", "org.mx", "gob.mx", "edu.mx",
  "com.ar", "gob.ar", "com.co", "com.pe", "com.ve", "com.uy", "com.ec", "cl.cl", "gc.ca",
  // Europe
  "co.at", "or.at", "ac.at", "gv.at", "com.pl", "net.pl", "org.pl", "co.hu", "com.pt", "com.gr", "com.es",
  "com.ua", "org.ua", "com.ru", "com.cy", "com.mt",
]);
