"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { isActive, NAV_ITEMS } from "../_lib/nav";

export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="nav-links">
      {NAV_ITEMS.map((item) => {
        const active = isActive(item, pathname);
        return (
          <li key={item.href}>
            <Link href={item.href} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
