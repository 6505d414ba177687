import "server-only";
import NextAuth from "next-auth";
import { problem } from "@/lib/api/problem";
import { fromForeignPage } from "@/lib/http/origin";
import { metrics } from "@/lib/metrics/registry";
import { clientAddress } from "./client-address";
import { authOptions } from "./options";
import { requestCookies, SESSION_COOKIES, sessionCookieDeletions, signOut, userOfCookies } from "./session";
import { signInAttempts, type SignInAttempt } from "./sign-in";

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's route, with two things next-auth cannot say itself:
 * a throttled sign-in is 429 with Retry-After (next-auth would call it
 * wrong credentials), and an accepted sign-out ends the session and clears
 * its cookie under both names, since behind a TLS proxy the browser may hold
 * the `__Secure-` one while this server sees plain http. A refused one
 * (another origin, no valid CSRF token) clears nothing.
 */
export async function authRoute(request: Request, context: Context): Promise<Response> {
  const attempt: SignInAttempt = { address: clientAddress(request.headers), userAgent: request.headers.get("user-agent") ?? undefined };
  const [action, providerId] = (await context.params).nextauth ?? [];
  if (action === "session" && !(await sessionStillLive(request))) return noSession();
  // Another site's page may not sign the console's users out: refused here, nothing ended and nothing cleared.
  if (request.method === "POST" && action === "signout" && fromForeignPage(request)) {
    return problem(request, 403, "csrf_origin_mismatch", "signing out must come from the console's own origin");
  }
  const signingIn =
    (action === "signin" || action === "callback") && providerId
      ? { action: action as "signin" | "callback", provider: providerId }
      : undefined;
  const response = await signInAttempts.run(attempt, async () => NextAuth(await authOptions(signingIn))(request, context));
  if (request.method === "POST" && action === "callback" && attempt.retryAfterSeconds !== undefined) {
    return throttled(request, attempt.retryAfterSeconds);
  }
  if (request.method === "POST" && action === "signout" && (await signOutAccepted(response))) {
    const headers = new Headers(response.headers);
    for (const deletion of await signOut(request)) headers.append("set-cookie", deletion);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  return response;
}

function throttled(request: Request, retryAfterSeconds: number): Response {
  metrics().signInThrottles.inc();
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return problem(
    request,
    429,
    "sign_in_throttled",
    `too many sign-in attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
    {
      retry_after_seconds: retryAfterSeconds,
      // next-auth's client reads `error` from `url`; the seconds ride along so the form can say how long to wait.
      url: `${new URL(request.url).origin}/login?error=${encodeURIComponent(`TooManyAttempts:${retryAfterSeconds}`)}`,
    },
    { "retry-after": String(retryAfterSeconds) },
  );
}

/**
 * next-auth would answer GET /api/auth/session from the JWT alone, with the
 * user and a fresh cookie, long after the session was signed out or revoked.
 * A cookie is only as good as its session row (lib/auth/sessions.ts).
 */
async function sessionStillLive(request: Request): Promise<boolean> {
  const jar = requestCookies(request);
  const presented = Object.keys(jar).some((name) => SESSION_COOKIES.some((cookie) => name === cookie || name.startsWith(`${cookie}.`)));
  return !presented || (await userOfCookies(jar)) !== undefined;
}

/** next-auth's own answer for "no session" (`{}`), with the dead cookie cleared. */
function noSession(): Response {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "private, no-cache, no-store" });
  for (const deletion of sessionCookieDeletions()) headers.append("set-cookie", deletion);
  return new Response("{}", { status: 200, headers });
}

/**
 * next-auth refuses a sign-out without its CSRF token by sending the browser
 * to its confirmation page (`…/signout?csrf=true`), in Location or, for a
 * `json` post, in the body's `url`; anything else is a sign-out it performed.
 */
async function signOutAccepted(response: Response): Promise<boolean> {
  let target = response.headers.get("location");
  if (!target && /^application\/json/i.test(response.headers.get("content-type") ?? "")) {
    target = (
      (await response
        .clone()
        .json()
        .catch(() => ({}))) as { url?: unknown }
    ).url as string | null;
  }
  if (typeof target !== "string") return false;
  try {
    const url = new URL(target, "http://next-auth.invalid");
    return !(url.pathname.endsWith("/signout") && url.searchParams.get("csrf") === "true");
  } catch {
    return false;
  }
}
