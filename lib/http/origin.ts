import { env } from "@/lib/env";

/**
 * The console's own origin: NEXTAUTH_URL's when configured (production
 * requires it), else the scheme and Host this request came in on. Forwarded
 * headers are not trusted for this.
 */
export function consoleOrigin(request: Request): string | undefined {
  const configured = env().publicUrl;
  if (configured) return new URL(configured).origin;
  const host = request.headers.get("host");
  return host ? `${new URL(request.url).protocol}//${host}` : undefined;
}

/**
 * Whether a browser says this request comes from a page of another origin
 * (or an opaque one: `Origin: null`). A request without Origin or
 * Sec-Fetch-Site comes from no browser page at all, and is not foreign.
 */
export function fromForeignPage(request: Request): boolean {
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  return origin !== null && origin !== consoleOrigin(request);
}

/**
 * Whether a request that runs a server action comes from one of the
 * console's own pages. Browsers send Origin with every POST, so a missing
 * one is accepted only with Sec-Fetch-Site: same-origin; `null` (a sandboxed
 * frame, a data: page) never is. Like Next's own check, the Host the request
 * came to counts as ours, whatever scheme a TLS proxy in front changed.
 */
export function fromOwnPage(request: Request): boolean {
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  if (origin === null) return site === "same-origin";
  if (origin === consoleOrigin(request)) return true;
  try {
    const host = request.headers.get("host");
    return host !== null && new URL(origin).host === host && !env().publicUrl;
  } catch {
    return false;
  }
}
