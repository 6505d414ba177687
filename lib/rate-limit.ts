import "server-only";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "@/lib/db/client";
import { ThrottledError } from "@/lib/errors";

export { RateLimiterRes };

export interface RateLimit {
  /** Attempts allowed per window. */
  points: number;
  /** The window, in seconds. */
  duration: number;
  /** How long a key stays refused once over the limit, in seconds (0: until the window ends). */
  blockDuration?: number;
}

// One limiter per name and database client: tests and the server may connect more than once.
const limiters = new WeakMap<object, Map<string, RateLimiterPrisma>>();

/**
 * A rate-limiter-flexible limiter whose counters live in the `rate_limits`
 * table, so a limit holds across every instance on the same database (and
 * on the embedded PGlite, where they run on the same Prisma client).
 */
export function rateLimiter(name: string, limit: RateLimit): RateLimiterPrisma {
  const client = db();
  let byName = limiters.get(client);
  if (!byName) limiters.set(client, (byName = new Map()));
  let limiter = byName.get(name);
  if (!limiter) {
    limiter = new RateLimiterPrisma({
      storeClient: client,
      tableName: "rateLimit",
      keyPrefix: name,
      points: limit.points,
      duration: limit.duration,
      blockDuration: limit.blockDuration ?? 0,
    });
    byName.set(name, limiter);
  }
  return limiter;
}

/** The limiter's own "over the limit" answer, as opposed to a store failure (which is rethrown). */
export function overLimit(outcome: PromiseSettledResult<RateLimiterRes>): RateLimiterRes | undefined {
  if (outcome.status === "fulfilled") return undefined;
  if (outcome.reason instanceof RateLimiterRes) return outcome.reason;
  throw outcome.reason;
}

/**
 * Spends one of `key`'s points under the limiter `name`. Over the limit it
 * throws a ThrottledError (429 with Retry-After on /v1, a form message in
 * the console) with `code`, saying how long to wait.
 */
export async function spendOrRefuse(name: string, limit: RateLimit, key: string, refusal: { code: string; doing: string }): Promise<void> {
  const over = overLimit((await Promise.allSettled([rateLimiter(name, limit).consume(key)]))[0]);
  if (!over) return;
  const seconds = Math.max(1, Math.ceil(over.msBeforeNext / 1000));
  throw new ThrottledError(refusal.code, `too many ${refusal.doing}; try again in ${seconds} second${seconds === 1 ? "" : "s"}`, seconds);
}

/** Gives one point back: for attempts that turned out legitimate, so only the failures count. */
export async function giveBack(name: string, limit: RateLimit, key: string): Promise<void> {
  await rateLimiter(name, limit).reward(key, 1);
}
