import headers from "./security-headers.json";

/**
 * The headers every answer carries, errors and hostile-input refusals
 * included: next.config.mjs adds them to static assets and every /v1 answer
 * (it reads the same JSON file), proxy.ts to pages and next-auth's routes,
 * lib/http/edge.ts to what it answers before Next sees a request.
 * Strict-Transport-Security is ignored by browsers over plain http (the
 * demo) and enforced once served over https.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = headers["every answer"];

/**
 * JSON and redirects never run anything, and are never framed or cached.
 * `no-transform`: the app does not gzip an API answer either. Most are well
 * under a kilobyte, where Next's compression (which never sees their length)
 * costs more CPU than it saves: a tenth of the issue path's time.
 */
export const API_HEADERS: Readonly<Record<string, string>> = { ...SECURITY_HEADERS, ...headers["api answers also"] };

/**
 * A page's policy: scripts only with this response's nonce (Next stamps it
 * on its own scripts when it finds the policy on the request), and what
 * they load themselves ('strict-dynamic'). Styles stay 'unsafe-inline':
 * React and next/font write style attributes, and CSS cannot run code.
 */
export function pageContentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Paths whose answers are data, not pages: the API and next-auth's routes. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/v1" || pathname.startsWith("/v1/") || pathname.startsWith("/api/");
}
