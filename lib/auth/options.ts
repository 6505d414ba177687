import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { env } from "@/lib/env";
import { endSession, startSession } from "./sessions";
import { attemptSignIn, signInAttempts } from "./sign-in";

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1).max(1024) });

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

let cached: Promise<NextAuthOptions> | undefined;

/** next-auth's configuration: email + password, JWT sessions (Credentials requires them). */
export function authOptions(): Promise<NextAuthOptions> {
  cached ??= (async () => ({
    secret: await authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(raw) {
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
      async jwt({ token, user }) {
        // At sign-in only: the session row every later request is checked against (lib/auth/session.ts).
        if (user) {
          token.sub = user.id;
          // The device and address come from the sign-in request (lib/auth/route.ts runs every one inside signInAttempts).
          const attempt = signInAttempts.getStore();
          token.sid = await startSession(user.id, { userAgent: attempt?.userAgent, address: attempt?.address });
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  }))();
  return cached;
}

/**
 * NEXTAUTH_SECRET, or in demo mode a random one kept in the data folder so
 * sessions survive a restart. Production mode refuses to boot without the
 * variable (lib/env.ts), so the fallback never serves a real deployment.
 */
export async function authSecret(): Promise<string> {
  const config = env();
  if (config.authSecret) return config.authSecret;
  const file = path.join(config.dataDir, "auth-secret");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" }).catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  return (await readFile(file, "utf8")).trim();
}
