/**
 * The dashboard's sections, in menu order. Adding a page is one line here (and its folder
 * under app/(dashboard)/). An item is active on its path and everything below it.
 */
export type NavItem = { href: string; label: string };

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/notifications", label: "Notifications" },
  { href: "/dead-letters", label: "Dead letters" },
  { href: "/campaigns", label: "Campaigns" },
  { href: "/outbox", label: "Outbox" },
  { href: "/contacts", label: "Contacts" },
  { href: "/lists", label: "Lists" },
  { href: "/imports", label: "Imports" },
  { href: "/operations", label: "Operations" },
  { href: "/providers", label: "Providers" },
  { href: "/docs", label: "API" },
];

export function isActive(item: NavItem, pathname: string): boolean {
  return item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`);
}
