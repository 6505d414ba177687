"use client";

import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState } from "react";
import { NAV_ITEMS, currentNavHref } from "./nav-items";
import { SignOutButton } from "./SignOutButton";
import { ThemeSwitch } from "./ThemeSwitch";

/**
 * The console's header. From the md breakpoint up the links sit in a row;
 * below it a Menu button discloses them (with the account and the colour
 * scheme) as a panel, so a phone never scrolls sideways.
 */
export function NavBar(props: { email: string; platformAdmin: boolean; counts?: Partial<Record<string, number>> }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const items = NAV_ITEMS.filter((item) => !item.adminOnly || props.platformAdmin);
  const current = currentNavHref(pathname, items);
  const close = () => setOpen(false);

  const links = (layout: string) =>
    items.map((item) => {
      const count = props.counts?.[item.href];
      const active = item.href === current;
      return (
        <Link
          key={item.href}
          href={item.href}
          aria-current={active ? "page" : undefined}
          onClick={close}
          className={`${layout} ${active ? "font-semibold text-indigo-700" : "text-slate-700 hover:text-slate-950"}`}
        >
          {item.label}
          {count ? (
            <span
              className="ml-1.5 rounded-full bg-indigo-600 px-1.5 py-0.5 text-xs font-semibold text-white"
              data-testid={item.href === "/approvals" ? "pending-approvals" : undefined}
            >
              {count > 99 ? "99+" : count}
              <span className="sr-only"> waiting for you</span>
            </span>
          ) : null}
        </Link>
      );
    });

  return (
    <header
      className="border-b border-slate-200 bg-white"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          close();
          menuButton.current?.focus();
        }
      }}
    >
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <div className="flex min-w-0 items-center gap-8">
          <Link href="/clouds" className="text-sm font-bold tracking-tight text-indigo-700">
            plexsphere
          </Link>
          <nav aria-label="Main" className="hidden gap-4 text-sm md:flex">
            {links("py-1")}
          </nav>
        </div>
        <div className="hidden min-w-0 items-center gap-3 text-sm text-slate-600 md:flex">
          <span data-testid="signed-in-as" className="truncate" title={props.email}>
            {props.email}
          </span>
          <ThemeSwitch />
          <SignOutButton />
        </div>
        <button
          ref={menuButton}
          type="button"
          className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 md:hidden"
          aria-expanded={open}
          aria-controls="nav-menu"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? <X aria-hidden="true" className="h-4 w-4" /> : <Menu aria-hidden="true" className="h-4 w-4" />}
          Menu
        </button>
      </div>
      {open && (
        <div id="nav-menu" className="border-t border-slate-200 px-4 pb-4 md:hidden">
          <nav aria-label="Main" className="flex flex-col text-sm">
            {links("border-b border-slate-100 py-3")}
          </nav>
          <div className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
            <span className="min-w-0 break-all">{props.email}</span>
            <ThemeSwitch />
            <SignOutButton />
          </div>
        </div>
      )}
    </header>
  );
}
