import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db/client";
import { overLimit, rateLimiter, type RateLimit } from "@/lib/rate-limit";
import { recordLocalSignIn } from "@/lib/sso/sign-in";
import { throttleBucket } from "./client-address";
import { verifySignInPassword } from "./passwords";

/**
 * Password guessing is throttled per account and per client address. Every
 * attempt is counted before argon2 runs, so once a key is over its limit a
 * guess costs a database round trip and no hashing, and even the right
 * password is refused until the lockout ends. A successful sign-in clears
 * the account's count and gives its address its attempt back, so an office
 * behind one address is only held back by its failures. An attempt the
 * address limit already refused is not charged to the account: one address
 * guessing at someone's password must not lock that person out everywhere.
 * An IPv6 client is counted by its /64, as the device-code limit does.
 */
export const SIGN_IN_LIMITS = {
  account: { points: 10, duration: 15 * 60, blockDuration: 15 * 60 },
  address: { points: 50, duration: 15 * 60, blockDuration: 15 * 60 },
} as const satisfies Record<string, RateLimit>;

export type SignInVerdict =
  | { outcome: "signed_in"; user: { id: string; email: string; displayName: string } }
  | { outcome: "refused" }
  | { outcome: "throttled"; retryAfterSeconds: number };

// The counters' keys never hold what was typed: an email field sometimes receives a password.
const accountKey = (email: string) => createHash("sha256").update(email, "utf8").digest("base64url");

export async function attemptSignIn(credentials: { email: string; password: string }, address: string): Promise<SignInVerdict> {
  const user = await db().user.findUnique({
    where: { email: credentials.email },
    select: { id: true, email: true, displayName: true, passwordHash: true, status: true },
  });
  const accounts = rateLimiter("sign-in:account", SIGN_IN_LIMITS.account);
  const addresses = rateLimiter("sign-in:address", SIGN_IN_LIMITS.address);
  const key = accountKey(credentials.email);
  const bucket = throttleBucket(address);
  const addressLocked = overLimit((await Promise.allSettled([addresses.consume(bucket)]))[0]);
  const accountLocked = addressLocked ? undefined : overLimit((await Promise.allSettled([accounts.consume(key)]))[0]);
  if (accountLocked || addressLocked) {
    // Recorded once per lockout (the first refused attempt), not once per guess.
    if (accountLocked?.consumedPoints === SIGN_IN_LIMITS.account.points + 1) {
      await recordLockout(
        user ? { type: "user", id: user.id } : { type: "sign_in_email", id: credentials.email },
        "too many failed sign-ins for this account",
      );
    }
    if (addressLocked?.consumedPoints === SIGN_IN_LIMITS.address.points + 1) {
      await recordLockout({ type: "client_address", id: bucket }, "too many failed sign-ins from this address");
    }
    const waitMs = Math.max(accountLocked?.msBeforeNext ?? 0, addressLocked?.msBeforeNext ?? 0);
    return { outcome: "throttled", retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  const ok = await verifySignInPassword(user?.passwordHash, credentials.password);
  // A disabled account is refused like a wrong password, after the same hashing work.
  if (!ok || !user || user.status !== "active") {
    await recordAudit({
      actorId: null,
      action: "auth.sign_in",
      target: user ? { type: "user", id: user.id } : { type: "sign_in_email", id: credentials.email },
      outcome: "denied",
      reason: `password; from ${address}`,
    });
    return { outcome: "refused" };
  }
  await Promise.all([accounts.delete(key), addresses.reward(bucket, 1)]);
  await recordLocalSignIn(user.id);
  await recordAudit({
    actorId: user.id,
    action: "auth.sign_in",
    target: { type: "user", id: user.id },
    outcome: "succeeded",
    reason: `password; from ${address}`,
  });
  return { outcome: "signed_in", user: { id: user.id, email: user.email, displayName: user.displayName } };
}

function recordLockout(target: { type: string; id: string }, reason: string) {
  return recordAudit({ actorId: null, action: "auth.sign_in_locked", target, outcome: "denied", reason });
}

/**
 * What the next-auth route wrapper (lib/auth/route.ts) hands to authorize()
 * and gets back: the client's address in, a throttling verdict out, because
 * next-auth itself can only answer a refused sign-in as "wrong credentials".
 */
export interface SignInAttempt {
  address: string;
  /** The browser's User-Agent, recorded on the session it starts (lib/auth/sessions.ts). */
  userAgent?: string;
  retryAfterSeconds?: number;
}

export const signInAttempts = new AsyncLocalStorage<SignInAttempt>();
