/**
 * The /v1 route table, read from the build's own list of app routes
 * (`.next/server/app-paths-manifest.json`), and the match of a request path
 * against it, for lib/http/api-dispatch.ts.
 *
 * The match is deliberately narrow: it answers only for a path Next would
 * route the same way without decoding or redirecting it, and says "not
 * mine" otherwise, so Next keeps every case with its own rules (a trailing
 * slash, `//`, percent-encoding, dot segments, the catch-all's 404).
 */

export type RouteSegment = { static: string } | { param: string };

export interface ApiRouteEntry {
  /** The app route's pattern, as in the manifest: `/v1/clouds/[id]/cloud-credentials`. */
  pattern: string;
  /** The compiled route module, relative to `.next/server`. */
  file: string;
  segments: RouteSegment[];
}

/** What a path segment may hold to be matched here: unreserved characters, `:` and `@`; nothing to decode. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_~:@-][A-Za-z0-9._~:@-]*$/;
const PARAM = /^\[([A-Za-z_][A-Za-z0-9_]*)\]$/;

/** The /v1 routes of an app-paths manifest; catch-all routes are left to Next. */
export function apiRouteTable(manifest: Record<string, string>): ApiRouteEntry[] {
  const table: ApiRouteEntry[] = [];
  for (const [key, file] of Object.entries(manifest)) {
    if (!key.startsWith("/v1/") || !key.endsWith("/route")) continue;
    const pattern = key.slice(0, -"/route".length);
    const parts = pattern.split("/").slice(1);
    const segments: RouteSegment[] = [];
    for (const part of parts) {
      const param = PARAM.exec(part);
      if (param) segments.push({ param: param[1] });
      else if (PLAIN_SEGMENT.test(part)) segments.push({ static: part });
      else break;
    }
    // A catch-all (`[...rest]`, `[[...rest]]`) or any segment we do not understand: Next's to route.
    if (segments.length !== parts.length) continue;
    table.push({ pattern, file, segments });
  }
  return table;
}

export interface ApiRouteMatch {
  route: ApiRouteEntry;
  params: Record<string, string>;
}

/**
 * The route a request path goes to, as Next's router would pick it (a
 * static segment wins over a parameter at the first place they differ),
 * or undefined when the path is not plainly one of the table's.
 */
export function matchApiRoute(table: ApiRouteEntry[], pathname: string): ApiRouteMatch | undefined {
  if (!pathname.startsWith("/v1/")) return undefined;
  const parts = pathname.split("/").slice(1);
  if (!parts.every((part) => PLAIN_SEGMENT.test(part))) return undefined;
  let best: { route: ApiRouteEntry; rank: string } | undefined;
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
