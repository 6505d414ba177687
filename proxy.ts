import { NextResponse, type NextRequest } from "next/server";
import { CORRELATION_HEADER, correlationId } from "@/lib/http/correlation";
import { fromOwnPage } from "@/lib/http/origin";
import { problemBody } from "@/lib/http/problem-body";
import { REQUEST_PATH_HEADER } from "@/lib/http/request-path";
import { API_HEADERS, isApiPath, pageContentSecurityPolicy, SECURITY_HEADERS } from "@/lib/http/security-headers";

/**
 * Security headers on every answer Next gives, and a fresh script nonce for
 * every page. Requests Next cannot represent at all (TRACE, unparseable
 * methods, malformed percent-encoding) never get here: lib/http/edge.ts
 * answers them first.
 */
export function proxy(request: NextRequest) {
  if (isApiPath(request.nextUrl.pathname)) {
    const forwarded = new Headers(request.headers);
    // In demo mode next-auth takes its origin, and so its redirects' host, from X-Forwarded-Host
    // (lib/env.ts configureAuthOrigin). A client can send any; the origin is the Host it connected to.
    // With NEXTAUTH_URL set (production) next-auth ignores both.
    if (request.nextUrl.pathname.startsWith("/api/auth/")) forwarded.delete("x-forwarded-host");
    const response = NextResponse.next({ request: { headers: forwarded } });
    for (const [name, value] of Object.entries(API_HEADERS)) response.headers.set(name, value);
    return response;
  }
  if (request.method === "POST" && !fromOwnPage(request)) return foreignActionRefused(request);
  const nonce = btoa(crypto.randomUUID());
  // eslint-disable-next-line no-restricted-properties -- a build fact, not configuration: `next dev` evaluates scripts.
  const policy = pageContentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  const forwarded = new Headers(request.headers);
  // Next reads the policy from the request and puts its nonce on the scripts it renders.
  forwarded.set("content-security-policy", policy);
  forwarded.set("x-nonce", nonce);
  // Where to come back to after signing in (lib/auth/session.ts requireUser); always ours, never the client's.
  const asked = new URL(request.nextUrl.href);
  asked.searchParams.delete("_rsc");
  forwarded.set(REQUEST_PATH_HEADER, `${asked.pathname}${asked.search}`);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set("content-security-policy", policy);
  return response;
}

/**
 * A page takes a POST only as a server action (fetch with Next-Action, or a
 * form posted without scripts), and those may only come from our own pages.
 * Next refuses a foreign Origin itself, but as a 500; this is the 403 the
 * API's CSRF check gives, before the action is even looked up.
 */
function foreignActionRefused(request: NextRequest): NextResponse {
  const id = correlationId();
  const body = problemBody(
    403,
    "csrf_origin_mismatch",
    "a server action must come from one of the console's own pages",
    request.nextUrl.pathname,
    id,
  );
  return NextResponse.json(body, {
    status: 403,
    headers: { ...API_HEADERS, "content-type": "application/problem+json", [CORRELATION_HEADER]: id },
  });
}

export const config = {
  // Static build output carries no nonce and needs none. /v1 answers carry
  // fixed headers that next.config.ts adds without a middleware run per
  // request (the issue path's budget); everything else goes through.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|v1/).*)"],
};
