import "server-only";
import NextAuth from "next-auth";
import { problem } from "@/lib/api/problem";
import { clientAddress } from "./client-address";
import { authOptions } from "./options";
import { sessionCookieDeletions } from "./session";
import { signInAttempts, type SignInAttempt } from "./sign-in";

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's route, with two things next-auth cannot say itself:
 * a throttled sign-in is 429 with Retry-After (next-auth would call it
 * wrong credentials), and signing out clears the session cookie under both
 * its names, since behind a TLS proxy the browser may hold the
 * `__Secure-` one while this server sees plain http.
 */
export async function authRoute(request: Request, context: Context): Promise<Response> {
  const attempt: SignInAttempt = { address: clientAddress(request.headers), userAgent: request.headers.get("user-agent") ?? undefined };
  const [action, providerId] = (await context.params).nextauth ?? [];
  const signingIn = (action === "signin" || action === "callback") && providerId ? { action: action as "signin" | "callback", provider: providerId } : undefined;
  const response = await signInAttempts.run(attempt, async () => NextAuth(await authOptions(signingIn))(request, context));
  if (request.method === "POST" && action === "callback" && attempt.retryAfterSeconds !== undefined) {
    return throttled(request, attempt.retryAfterSeconds);
  }
  if (request.method === "POST" && action === "signout") {
    const headers = new Headers(response.headers);
    for (const deletion of sessionCookieDeletions()) headers.append("set-cookie", deletion);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  return response;
}

function throttled(request: Request, retryAfterSeconds: number): Response {
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
