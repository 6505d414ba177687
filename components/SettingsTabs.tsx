"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { SETTINGS_ITEMS, currentNavHref } from "./nav-items";

/** The settings pages as one row of links that wraps on a phone; the current one is marked for assistive tech. */
export function SettingsTabs(props: { platformAdmin: boolean }) {
  const pathname = usePathname();
  const items = SETTINGS_ITEMS.filter((item) => !item.adminOnly || props.platformAdmin);
  const current = currentNavHref(pathname, items);
  return (
    <nav aria-label="Settings" className="mb-6 flex flex-wrap gap-x-4 gap-y-2 border-b border-slate-200 pb-2 text-sm dark:border-slate-700">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={item.href === current ? "page" : undefined}
          className={
            item.href === current
              ? "font-semibold text-indigo-700 dark:text-indigo-300"
              : "text-slate-700 hover:text-slate-950 dark:text-slate-300 dark:hover:text-white"
          }
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
