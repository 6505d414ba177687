import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { env } from "@/lib/env";
import { currentUser, type SessionUser } from "@/lib/auth/session";
import { authenticateToken } from "@/lib/tokens/service";

/**
 * Who is calling /v1: a bearer API token, or the console's session cookie.
 * A request that presents an Authorization header is judged by it alone; a
 * bad token never falls back to the cookie.
 */
export type ApiCaller =
  | { user: SessionUser; via: "session" }
  | { user: SessionUser; via: "bearer"; token: { id: string; expiresAt: Date; retiring: boolean } };

export type Authentication = { ok: true; caller: ApiCaller } | { ok: false; detail: string };

export async function authenticate(request: Request): Promise<Authentication> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match ? await authenticateToken(match[1]) : undefined;
    return token
      ? { ok: true, caller: { user: token.user, via: "bearer", token: { id: token.tokenId, expiresAt: token.expiresAt, retiring: token.retiring } } }
      : { ok: false, detail: "the bearer token is invalid, expired or revoked" };
  }
  // getServerSession reads the cookie through next/headers; currentUser re-reads the account.
  const session = await getServerSession(await authOptions());
  const user = session ? await currentUser() : undefined;
  return user ? { ok: true, caller: { user, via: "session" } } : { ok: false, detail: "sign in or send an API token" };
}

/**
 * CSRF defence for cookie-authenticated writes: the Origin must be this
 * console, and the X-CSRF-Token header must repeat the plexsphere-csrf
 * cookie (double submit). Bearer requests carry no ambient credential and
 * need neither.
 */
export const CSRF_COOKIE = "plexsphere-csrf";
export const CSRF_HEADER = "x-csrf-token";

export function csrfFailure(request: Request): string | undefined {
  if (request.headers.get("origin") !== consoleOrigin(request)) return "a cookie-authenticated write must come from the console's own origin";
  const cookie = cookieValue(request, CSRF_COOKIE);
  const header = request.headers.get(CSRF_HEADER);
  if (!cookie || !header || !sameString(cookie, header)) return `send the ${CSRF_COOKIE} cookie's value in the X-CSRF-Token header`;
  return undefined;
}

/** A Set-Cookie for a new double-submit token when the caller has none yet. */
export function csrfCookieFor(request: Request): string | undefined {
  if (cookieValue(request, CSRF_COOKIE)) return undefined;
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `${CSRF_COOKIE}=${randomBytes(24).toString("base64url")}; Path=/; SameSite=Strict${secure}`;
}

function cookieValue(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

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

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
