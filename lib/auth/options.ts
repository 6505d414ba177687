import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { ssoProviders } from "@/lib/sso/provider";
import { ssoSignIn } from "@/lib/sso/sign-in";
import { PASSWORD_MAX } from "@/lib/identity/invitation-rules";
import { normaliseEmail } from "@/lib/names";
import { z } from "zod";
import { env } from "@/lib/env";
import { returnPath } from "@/lib/http/return-path";
import { authSecret } from "./secret";
import { endSession, sessionUser, startSession } from "./sessions";
import { attemptSignIn, signInAttempts } from "./sign-in";

const credentialsSchema = z.object({ email: z.string().overwrite(normaliseEmail).email(), password: z.string().min(1).max(PASSWORD_MAX) });

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

let cached: Promise<NextAuthOptions> | undefined;

/**
 * next-auth's configuration for one request: email + password (unless
 * LOCAL_LOGIN=false), and the single sign-on providers (lib/sso/provider.ts).
 */
export async function authOptions(signingIn?: { action: "signin" | "callback"; provider: string }): Promise<NextAuthOptions> {
  const base = await baseOptions();
  const oidc = await ssoProviders(signingIn);
  return { ...base, providers: [...(env().localLogin ? base.providers : []), ...oidc] };
}

/** What does not change between requests. */
function baseOptions(): Promise<NextAuthOptions> {
  cached ??= (async () => ({
    secret: await authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // next-auth's own error page is replaced by one sentence on the sign-in page (app/login).
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(raw) {
          // LOCAL_LOGIN=false: the form is hidden, and a hand-made post is refused here too.
          if (!env().localLogin) return null;
          const parsed = credentialsSchema.safeParse(raw);
          // Only reachable through lib/auth/route.ts, which says where the attempt comes from.
          const attempt = signInAttempts.getStore();
          if (!parsed.success || !attempt) return null;
          const verdict = await attemptSignIn(parsed.data, attempt.address);
          if (verdict.outcome === "throttled") attempt.retryAfterSeconds = verdict.retryAfterSeconds;
          // One answer for a wrong password and an unknown email alike.
          if (verdict.outcome !== "signed_in") return null;
          return { id: verdict.user.id, email: verdict.user.email, name: verdict.user.displayName };
        },
      }),
    ],
    events: {
      // The console's "Sign out" (next-auth's /api/auth/signout): end the session server-side, so a copied cookie dies with it.
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(token.sid);
      },
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account || account.type !== "oauth") return true;
        const verdict = await ssoSignIn(account.provider, (profile ?? {}) as Record<string, unknown>);
        if (!verdict.ok) return `/login?error=${encodeURIComponent(`Sso:${verdict.reason}`)}`;
        // The same object reaches jwt() below: from here on it names our user, not the IdP's subject.
        Object.assign(user, { id: verdict.user.id, email: verdict.user.email, name: verdict.user.displayName });
        return true;
      },
      async jwt({ token, user }) {
        // At sign-in only: the session row every later request is checked against (lib/auth/session.ts).
        if (user) {
          token.sub = user.id;
          token.email = user.email;
          token.name = user.name;
          // The device and address come from the sign-in request (lib/auth/route.ts runs every one inside signInAttempts).
          const attempt = signInAttempts.getStore();
          token.sid = await startSession(user.id, { userAgent: attempt?.userAgent, address: attempt?.address });
          return token;
        }
        // Every later read (GET /api/auth/session, a session update) only while the row is live: a throw makes next-auth
        // answer no session and clear the cookie, instead of refreshing a signed-out, revoked or too old one forever.
        if (typeof token.sub !== "string" || typeof token.sid !== "string" || !(await sessionUser(token.sub, token.sid))) {
          throw new Error("the session has ended");
        }
        return token;
      },
      // Where a sign-in, an IdP's callback or a sign-out sends the browser (callbackUrl): only back to this console.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${returnPath(url, { origin: baseUrl })}`;
      },
      session({ session, token }) {
        if (session.user) session.user.id = token.sub;
        return session;
      },
    },
  }))();
  return cached;
}

// Its own module so the audit trail can key its MACs without importing next-auth's configuration.
export { authSecret };
