/**
 * The colour scheme someone picked in the navigation, remembered in a cookie
 * so the server can put it on <html> before the first paint (no inline
 * script, so nothing to nonce). "system" (no cookie) follows
 * prefers-color-scheme. Read on the server and the client; holds no secret.
 */
export const THEME_COOKIE = "plexsphere_theme";
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export function parseTheme(value: string | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

/** The class <html> carries: none for "system", so the media query decides. */
export function themeClass(theme: Theme): string | undefined {
  return theme === "system" ? undefined : theme;
}
