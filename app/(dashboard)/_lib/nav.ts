/**
 * The dashboard's sections, in menu order. Adding a page is one line here (and its folder
 * under app/(dashboard)/). An item is active on its path and everything below it.
 */
export type NavItem = { href: string; label: string };

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/notifications", label: "Notifications" },
  { href: "/dead-letters", label: "Dead letters" },
  { href: "/delivery", label: "Delivery rules" },
  { href: "/campaigns", label: "Campaigns" },
  { href: "/automations", label: "Automations" },
  { href: "/journeys", label: "Journeys" },
  { href: "/archives", label: "Archives" },
  { href: "/analytics", label: "Analytics" },
  { href: "/recommendations", label: "Recommendations" },
  { href: "/outbox", label: "Outbox" },
  { href: "/inbox-demo", label: "Inbox demo" },
  { href: "/contacts", label: "Contacts" },
  { href: "/events", label: "Events" },
  { href: "/lists", label: "Lists" },
  { href: "/categories", label: "Categories" },
  { href: "/imports", label: "Imports" },
  { href: "/mailbox", label: "Mailbox" },
  { href: "/exports", label: "Exports" },
  { href: "/retention", label: "Retention" },
  { href: "/erasures", label: "Erasures" },
  { href: "/operations", label: "Operations" },
  { href: "/audit-log", label: "Audit log" },
  { href: "/backups", label: "Backups" },
  { href: "/providers", label: "Providers" },
  { href: "/docs", label: "API" },
];

export function isActive(item: NavItem, pathname: string): boolean {
  return item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`);
}
