/**
 * Matching a request path against the /v1 route table (lib/api/routes.ts).
 *
 * The match is deliberately narrow: it answers only for a path Next would
 * route the same way without decoding or redirecting it, and says "not
 * mine" otherwise, so Next keeps every case with its own rules (a trailing
 * slash, `//`, percent-encoding, dot segments).
 */

export type RouteSegment = { static: string } | { param: string };

export interface ApiRouteEntry {
  /** The route's folder under app/, as Next names it: `/v1/clouds/[id]/cloud-credentials`. */
  pattern: string;
  segments: RouteSegment[];
}

/** What a path segment may hold to be matched here: unreserved characters, `:` and `@`; nothing to decode. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_~:@-][A-Za-z0-9._~:@-]*$/;
const PARAM = /^\[([A-Za-z_][A-Za-z0-9_]*)\]$/;

/** A route folder's segments; a catch-all (`[...rest]`) or a segment name Next would encode is refused, not guessed. */
export function routeSegments(pattern: string): RouteSegment[] {
  return pattern
    .split("/")
    .slice(1)
    .map((part) => {
      const param = PARAM.exec(part);
      if (param) return { param: param[1] };
      if (PLAIN_SEGMENT.test(part)) return { static: part };
      throw new Error(`a /v1 route the table cannot match: ${pattern}`);
    });
}

/** Whether a path is one the table could answer for: any other is routed (redirected, decoded) by Next. */
export function isPlainApiPath(pathname: string): boolean {
  return (
    pathname.startsWith("/v1/") &&
    pathname
      .split("/")
      .slice(1)
      .every((part) => PLAIN_SEGMENT.test(part))
  );
}

export interface ApiRouteMatch<Route extends ApiRouteEntry = ApiRouteEntry> {
  route: Route;
  params: Record<string, string>;
}

/**
 * The route a request path goes to, as Next's router would pick it (a
 * static segment wins over a parameter at the first place they differ),
 * or undefined when the path is not plainly one of the table's.
 */
export function matchApiRoute<Route extends ApiRouteEntry>(table: readonly Route[], pathname: string): ApiRouteMatch<Route> | undefined {
  if (!isPlainApiPath(pathname)) return undefined;
  const parts = pathname.split("/").slice(1);
  let best: { route: Route; rank: string } | undefined;
  for (const route of table) {
    if (route.segments.length !== parts.length) continue;
    let rank = "";
    for (let i = 0; i < parts.length; i += 1) {
      const segment = route.segments[i];
      if ("static" in segment) {
        if (segment.static !== parts[i]) break;
        rank += "s";
      } else rank += "p";
    }
    if (rank.length !== parts.length) continue;
    if (!best || rank > best.rank) best = { route, rank };
  }
  if (!best) return undefined;
  const params: Record<string, string> = {};
  best.route.segments.forEach((segment, i) => {
    if ("param" in segment) params[segment.param] = parts[i];
  });
  return { route: best.route, params };
}

const PROBE_PATHS = new Set(["/livez", "/readyz", "/metrics"]);

/**
 * A request's route as its log line and its metrics name it, given the /v1
 * table's template when one matched (lib/api/routes.ts routeTemplateFor):
 * the probes by name, Next's catch-all for an unmatched /v1 path, and for
 * the rest only the kind of thing Next serves. Never the raw path, which
 * holds ids, so a label's values stay few whatever a client sends.
 */
export function routeLabel(pathname: string, template: string | undefined): string {
  if (PROBE_PATHS.has(pathname)) return pathname;
  if (template) return template;
  if (isPlainApiPath(pathname)) return "/v1/[[...rest]]";
  if (pathname === "/v1" || pathname.startsWith("/v1/") || pathname.startsWith("/api/")) return "other";
  if (pathname.startsWith("/_next/") || /\.[A-Za-z0-9]+$/.test(pathname)) return "static";
  return "page";
}

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

/** A request's method as a log field or label: the methods HTTP defines, anything else "other". */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : "other";
}
