import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { authSecret } from "@/lib/auth/secret";

/**
 * The subject of an entry as the chain reads show it: HMAC-SHA256 of the
 * actor's id under a key derived (HKDF, its own label) from the auth
 * secret, so the same actor has the same pseudonym in every entry and
 * nobody without the server's secret can tell whose it is. Entries the
 * system wrote (no actor) share one pseudonym.
 */
const SYSTEM_SUBJECT = "system";

let cachedKey: Promise<Buffer> | undefined;

function pseudonymKey(): Promise<Buffer> {
  cachedKey ??= authSecret()
    .then((secret) => Buffer.from(hkdfSync("sha256", secret, "", "plexsphere audit subject pseudonym v1", 32)))
    .catch((error) => {
      cachedKey = undefined;
      throw error;
    });
  return cachedKey;
}

export async function subjectPseudonyms(): Promise<(actorId: string | null) => string> {
  const key = await pseudonymKey();
  return (actorId) =>
    createHmac("sha256", key)
      .update(actorId === null ? SYSTEM_SUBJECT : `user:${actorId.toLowerCase()}`)
      .digest("hex");
}
