import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/auth/options";
import { env } from "@/lib/env";
import { consoleOrigin } from "@/lib/http/origin";

export { consoleOrigin };
import type { SessionUser } from "@/lib/auth/session";
import type { Preauthorization } from "@/lib/authz/service";
import { authenticateToken } from "@/lib/tokens/service";

/**
 * Who is calling /v1: a bearer API token, or the console's session cookie.
 * A request that presents an Authorization header is judged by it alone; a
 * bad token never falls back to the cookie.
 */
/**
 * The cookie half (next-auth's session code) is loaded on the first request
 * that needs it: it pulls in next/navigation, which loads only inside Next's
 * runtime, and a bearer caller never needs it (nor does a unit test of the
 * route declaration, lib/api/route.test.ts).
 */
const sessions = () => import("@/lib/auth/session");

export type ApiCaller =
  | { user: SessionUser; via: "session" }
  | { user: SessionUser; via: "bearer"; token: { id: string; expiresAt: Date; retiring: boolean } };

export type Authentication = { ok: true; caller: ApiCaller } | { ok: false; detail: string };

export async function authenticate(request: Request, question?: Preauthorization): Promise<Authentication> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match ? await authenticateToken(match[1], new Date(), question) : undefined;
    return token
      ? {
          ok: true,
          caller: { user: token.user, via: "bearer", token: { id: token.tokenId, expiresAt: token.expiresAt, retiring: token.retiring } },
        }
      : { ok: false, detail: "the bearer token is invalid, expired or revoked" };
  }
  // One query: the account, on condition that the cookie's session is still live.
  const { requestCookies, userOfCookies } = await sessions();
  const user = await userOfCookies(requestCookies(request));
  return user ? { ok: true, caller: { user, via: "session" } } : { ok: false, detail: "sign in or send an API token" };
}

/**
 * CSRF defence for cookie-authenticated writes, with the contract's names:
 * the Origin must be the console's (or the browser says Sec-Fetch-Site:
 * same-origin), and the X-Plexsphere-CSRF header must repeat the
 * plexsphere_csrf cookie. The token is not any value the client likes: it is
 * an HMAC of the session's id under a key derived from the auth secret, so a
 * cookie+header pair planted by an attacker (a sibling subdomain can set
 * cookies) matches no session, and a new sign-in gets a new token. Bearer
 * requests carry no ambient credential and need none of this.
 */
export const CSRF_COOKIE = "plexsphere_csrf";
export const CSRF_HEADER = "x-plexsphere-csrf";

export type CsrfRefusal = { code: "csrf_origin_not_configured" | "csrf_origin_mismatch" | "csrf_token_mismatch"; detail: string };

export async function csrfRefusal(request: Request): Promise<CsrfRefusal | undefined> {
  const allowed = consoleOrigin(request);
  if (!allowed)
    return {
      code: "csrf_origin_not_configured",
      detail: "the console's origin is not configured (NEXTAUTH_URL), so cookie-authenticated writes are refused",
    };
  const sameOrigin = request.headers.get("origin") === allowed || request.headers.get("sec-fetch-site") === "same-origin";
  if (!sameOrigin) return { code: "csrf_origin_mismatch", detail: "a cookie-authenticated write must come from the console's own origin" };
  const expected = await csrfToken(request);
  const header = request.headers.get(CSRF_HEADER);
  const { requestCookies } = await sessions();
  // The header must equal the token this session's cookie should hold; the cookie itself is only how the page learns it.
  if (!expected || !header || !sameString(header, expected) || requestCookies(request)[CSRF_COOKIE] !== header) {
    return { code: "csrf_token_mismatch", detail: `send the ${CSRF_COOKIE} cookie's value in the X-Plexsphere-CSRF header` };
  }
  return undefined;
}

/** A Set-Cookie carrying this session's token, when the caller does not hold it yet (or holds a stale one). */
export async function csrfCookieFor(request: Request): Promise<string | undefined> {
  const expected = await csrfToken(request);
  const { requestCookies } = await sessions();
  if (!expected || requestCookies(request)[CSRF_COOKIE] === expected) return undefined;
  const secure = new URL(request.url).protocol === "https:" || env().publicUrl?.startsWith("https://") ? "; Secure" : "";
  // Readable by the console's scripts (they echo it in the header); SameSite keeps it off cross-site requests.
  return `${CSRF_COOKIE}=${expected}; Path=/; SameSite=Strict${secure}`;
}

/** HMAC-SHA256(HKDF(auth secret), session id): the only value a session's CSRF header can carry. */
async function csrfToken(request: Request): Promise<string | undefined> {
  const sessionId = await sessionIdOf(request);
  if (!sessionId) return undefined;
  const key = Buffer.from(hkdfSync("sha256", await authSecret(), "", "plexsphere csrf token v1", 32));
  return createHmac("sha256", key).update(sessionId).digest("base64url");
}

/**
 * The `sid` claim next-auth's JWT carries from sign-in on (lib/auth/options.ts):
 * the session row's id, which stays the same while next-auth re-encodes the
 * cookie, unlike the cookie's bytes.
 */
async function sessionIdOf(request: Request): Promise<string | undefined> {
  const { requestCookies, sessionClaims } = await sessions();
  return (await sessionClaims(requestCookies(request)))?.sessionId;
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
