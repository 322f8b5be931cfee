import Link from "next/link";

const PAGES = [
  { href: "/mailbox", label: "Imports and contacts" },
  { href: "/mailbox/relationships", label: "Relationships" },
] as const;

/** The mailbox's own pages, under its header. */
export function MailboxNav({ current }: { current: (typeof PAGES)[number]["href"] }) {
  return (
    <nav className="subnav" aria-label="Mailbox">
      {PAGES.map((page) => (
        <Link key={page.href} href={page.href} className={page.href === current ? "active" : undefined} aria-current={page.href === current ? "page" : undefined}>
          {page.label}
        </Link>
      ))}
    </nav>
  );
}
