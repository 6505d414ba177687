import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's recommended floor (19 MiB, 2 passes, 1 lane).
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Signing in, setting a password through a link and accepting an invitation
 * are where anybody, signed in or not, can make the server run argon2.
 * Running that work one piece at a time keeps a burst of it to one core, so
 * signed-in users' requests keep theirs. Callers check everything cheaper
 * first (limits, the link's token) so a refused request never waits here.
 */
const MAX_CONCURRENT_HASHING = 1;
// One lane per process, not per module copy: the server entry's bundle (/v1 routes) and Next's
// (pages, actions, sign-in) each load this file, and two lanes would let two hashes run at once.
const lane = ((
  globalThis as unknown as { __plexsphereHashingLane?: { running: number; waiting: (() => void)[] } }
).__plexsphereHashingLane ??= {
  running: 0,
  waiting: [],
});

/** Runs `work` when the hashing lane is free; the finishing work hands its slot over. */
export async function inHashingLane<T>(work: () => Promise<T>): Promise<T> {
  if (lane.running < MAX_CONCURRENT_HASHING) lane.running++;
  else await new Promise<void>((resolve) => lane.waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = lane.waiting.shift();
    if (next) next();
    else lane.running--;
  }
}

const argon2id = (password: string) => hash(password, OPTIONS);

/** A new password's hash, computed in the hashing lane. */
export function hashPassword(password: string): Promise<string> {
  return inHashingLane(() => argon2id(password));
}

// Verified against when the email is unknown, so both paths cost the same.
let decoy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    // Hashed directly: this may already run inside the lane, which would wait for itself.
    decoy ??= argon2id("decoy password that matches no account");
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/** A sign-in's verification, in the hashing lane. */
export function verifySignInPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  return inHashingLane(() => verifyPassword(passwordHash, password));
}
