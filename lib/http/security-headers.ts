/**
 * The headers every answer carries, errors and hostile-input refusals
 * included: proxy.ts adds them to what Next serves, lib/http/edge.ts to what
 * it answers before Next sees a request. (next.config.mjs repeats the plain
 * ones for static assets, which the proxy does not run for.)
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Ignored by browsers over plain http (the demo), enforced once served over https.
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

/** JSON and redirects never run anything, and are never framed or cached. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "cache-control": "no-store",
};

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
