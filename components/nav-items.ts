/**
 * The console's navigation, in one list. An item is current when the path
 * starts with one of its prefixes; the longest match wins, so
 * /credentials/expiring is "Expiring soon" while other credential pages
 * belong to "Clouds".
 */
export interface NavItem {
  href: string;
  label: string;
  prefixes: string[];
  /** Shown only to platform admins. */
  adminOnly?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/clouds", label: "Clouds", prefixes: ["/clouds", "/credentials"] },
  { href: "/projects", label: "Projects", prefixes: ["/projects"] },
  { href: "/approvals", label: "Approvals", prefixes: ["/approvals"] },
  { href: "/credentials/expiring", label: "Expiring soon", prefixes: ["/credentials/expiring"] },
  { href: "/audit", label: "Audit", prefixes: ["/audit"], adminOnly: true },
  // Tokens, sessions and (for platform admins) users, groups and identity providers: one item, its own tabs (SETTINGS_ITEMS).
  { href: "/settings/tokens", label: "Settings", prefixes: ["/settings"] },
];

/** The settings pages, as tabs under the "Settings" item (app/(console)/settings/layout.tsx). */
export const SETTINGS_ITEMS: readonly NavItem[] = [
  { href: "/settings/tokens", label: "API tokens", prefixes: ["/settings/tokens"] },
  { href: "/settings/sessions", label: "Sessions", prefixes: ["/settings/sessions"] },
  { href: "/settings/users", label: "Users", prefixes: ["/settings/users", "/settings/invitations"], adminOnly: true },
  { href: "/settings/groups", label: "Groups", prefixes: ["/settings/groups"], adminOnly: true },
  { href: "/settings/identity-providers", label: "Identity providers", prefixes: ["/settings/identity-providers"], adminOnly: true },
];

/** The href of the item the path belongs to, if any. */
export function currentNavHref(pathname: string, items: readonly NavItem[] = NAV_ITEMS): string | undefined {
  let best: { href: string; length: number } | undefined;
  for (const item of items) {
    for (const prefix of item.prefixes) {
      const matches = pathname === prefix || pathname.startsWith(`${prefix}/`);
      if (matches && (!best || prefix.length > best.length)) best = { href: item.href, length: prefix.length };
    }
  }
  return best?.href;
}
