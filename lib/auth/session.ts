import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import { noteRequestActor } from "@/lib/http/correlation";
import { REQUEST_PATH_HEADER } from "@/lib/http/request-path";
import { authSecret } from "./options";
import { endSession, sessionUser } from "./sessions";

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
}

/** next-auth's session cookie, under the name it uses on https (production) and on plain http. */
export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;

/**
 * Set-Cookie values that delete the session cookie under both names. The
 * `__Secure-` one needs Secure to be accepted; the plain one must not have
 * it, or a browser on plain http ignores the deletion.
 */
export function sessionCookieDeletions(): string[] {
  return SESSION_COOKIES.map(
    (name) => `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__Secure-") ? "; Secure" : ""}`,
  );
}

export interface SessionClaims {
  userId: string;
  sessionId: string;
}

/**
 * The session a cookie jar carries, when its JWT is ours and unexpired.
 * Whether the session still counts is the database's call (sessionUser).
 */
export async function sessionClaims(jar: Record<string, string>): Promise<SessionClaims | undefined> {
  const secret = await authSecret();
  for (const cookieName of SESSION_COOKIES) {
    if (!Object.keys(jar).some((name) => name === cookieName || name.startsWith(`${cookieName}.`))) continue;
    // No headers on purpose: getToken would otherwise also accept a JWT as an Authorization bearer.
    const token = await getToken({ req: { cookies: jar, headers: {} } as never, secret, cookieName }).catch(() => null);
    if (typeof token?.sub === "string" && typeof token.sid === "string") return { userId: token.sub, sessionId: token.sid };
  }
  return undefined;
}

/** The cookies of a Request, by name (first wins, as with next/headers). */
export function requestCookies(request: Request): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (name && !(name in jar)) jar[name] = part.slice(at + 1).trim();
  }
  return jar;
}

/** The signed-in user behind a cookie jar: a live session of an existing account, else undefined. */
export async function userOfCookies(jar: Record<string, string>): Promise<SessionUser | undefined> {
  const claims = await sessionClaims(jar);
  return claims ? sessionUser(claims.userId, claims.sessionId) : undefined;
}

/** The session id (`sid`) this request's cookie names, if any; whether it is still live is sessionUser's call. */
export async function currentSessionId(): Promise<string | undefined> {
  const jar = Object.fromEntries((await cookies()).getAll().map((c) => [c.name, c.value]));
  return (await sessionClaims(jar))?.sessionId;
}

/**
 * The signed-in user of this request, re-read from the database with its
 * session; undefined when signed out, revoked or gone. Once per render:
 * the layout and the page both ask, and React's `cache` (per request) makes
 * that one query.
 */
export const currentUser = cache(async (): Promise<SessionUser | undefined> => {
  const jar = Object.fromEntries((await cookies()).getAll().map((c) => [c.name, c.value]));
  const user = await userOfCookies(jar);
  // The request's log line names who rendered the page or ran the action (server.ts).
  if (user) noteRequestActor(user.id);
  return user;
});

/**
 * The one authenticated entry for pages and server actions: every one starts
 * here, then authorizes the specific resource. Signed-out callers are sent
 * to /login.
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(loginPathFor((await headers()).get(REQUEST_PATH_HEADER)));
  return user;
}

/** The sign-in page, asked to come back to the page that was asked for (the login page checks it stays on this origin). */
function loginPathFor(path: string | null): string {
  return path && path.startsWith("/") && path !== "/" ? `/login?${new URLSearchParams({ next: path })}` : "/login";
}

/** Ends the session a request's cookie names (if any) and returns the Set-Cookie values that clear it. */
export async function signOut(request: Request): Promise<string[]> {
  const claims = await sessionClaims(requestCookies(request));
  if (claims) await endSession(claims.sessionId);
  return sessionCookieDeletions();
}
