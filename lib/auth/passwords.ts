import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's recommended floor (19 MiB, 2 passes, 1 lane).
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the email is unknown, so both paths cost the same.
let decoy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hashPassword("decoy password that matches no account");
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/**
 * Sign-in is the one place anybody, signed in or not, can make the server
 * run argon2. Running those verifications one at a time keeps a burst of
 * guesses to one core, so signed-in users' requests keep theirs.
 */
const MAX_CONCURRENT_SIGN_IN_VERIFICATIONS = 1;
let running = 0;
const waiting: (() => void)[] = [];

export async function verifySignInPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (running < MAX_CONCURRENT_SIGN_IN_VERIFICATIONS) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing verification hands its slot over
  try {
    return await verifyPassword(passwordHash, password);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
