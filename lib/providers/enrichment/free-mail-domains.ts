/**
 * Mailbox providers and ISPs whose addresses say nothing about the person's employer: a
 * contact at gmail.com does not work at "Gmail". Matched against the registrable domain.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Google, Microsoft, Yahoo, Apple, AOL
  "gmail.com", "googlemail.com",
  "outlook.com", "hotmail.com", "live.com", "msn.com", "passport.com", "windowslive.com",
  "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es", "hotmail.nl", "hotmail.be", "hotmail.ca",
  "hotmail.com.au", "hotmail.com.br", "hotmail.co.jp", "outlook.fr", "outlook.de", "outlook.it", "outlook.es",
  "outlook.co.uk", "outlook.jp", "outlook.com.au", "outlook.com.br", "live.co.uk", "live.fr", "live.de", "live.it",
  "live.nl", "live.be", "live.ca", "live.com.au", "live.com.mx", "live.jp",
  "yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.es",
  "yahoo.ca", "yahoo.ie", "yahoo.gr", "yahoo.se", "yahoo.dk", "yahoo.no", "yahoo.in", "yahoo.co.in",
  "yahoo.com.au", "yahoo.co.nz", "yahoo.co.jp", "yahoo.com.br", "yahoo.com.mx", "yahoo.com.ar",
  "yahoo.com.sg", "yahoo.com.hk", "yahoo.com.tw", "yahoo.com.ph", "yahoo.co.id", "yahoo.co.th",
  "icloud.com", "me.com", "mac.com", "aol.com", "aim.com", "aol.co.uk", "aol.fr", "aol.de",
  // Privacy-focused and independent mailbox providers
  "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tutanota.de", "tutamail.com", "tuta.io",
  "tuta.com", "fastmail.com", "fastmail.fm", "hey.com", "zoho.com", "zohomail.com", "zohomail.eu", "zoho.eu",
  "mail.com", "email.com", "usa.com", "hushmail.com", "posteo.de", "posteo.net", "mailbox.org", "gmx.com",
  "gmx.net", "gmx.de", "gmx.at", "gmx.ch", "gmx.fr", "gmx.co.uk", "web.de", "t-online.de", "freenet.de",
  // Russia, China, Korea, India
  "mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "yandex.ru", "yandex.com", "yandex.ua", "yandex.by",
  "yandex.kz", "ya.ru", "rambler.ru", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com",
  "sina.cn", "sohu.com", "aliyun.com", "naver.com", "daum.net", "hanmail.net", "rediffmail.com",
  // European ISPs and portals
  "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "libero.it", "virgilio.it", "alice.it",
  "tiscali.it", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl", "btinternet.com", "sky.com",
  "virginmedia.com", "ntlworld.com", "talktalk.net", "telenet.be", "skynet.be", "ziggo.nl", "kpnmail.nl",
  "bluewin.ch", "telia.com",
  // North American, Australian and Brazilian ISPs
  "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net",
  "earthlink.net", "optonline.net", "shaw.ca", "rogers.com", "sympatico.ca", "telus.net", "videotron.ca",
  "bigpond.com", "bigpond.net.au", "optusnet.com.au", "uol.com.br", "bol.com.br", "terra.com.br", "ig.com.br",
]);

export function isFreeMailDomain(registrableDomain: string): boolean {
  return FREE_MAIL_DOMAINS.has(registrableDomain);
}
