import "server-only";
import { recordOnCloudObject } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db/client";
import { log } from "@/lib/log";
import { credentialSecretPath, secretStore, type SecretStore } from "@/lib/vault";

/**
 * The revocation outbox. A revoke (or an expiry) stamps the credential and,
 * in the same transaction, writes here that the engine still owes a soft
 * delete of its secret. The delete itself happens after the commit: at once
 * when the engine answers, otherwise on the worker's next pass (lib/boot.ts,
 * every OUTBOX_INTERVAL_SECONDS), on whichever server instance claims it
 * first. So "revoked" never hides live material: until the delete lands the
 * credential says `pending`.
 */
export type SecretRevocationState = "pending" | "complete";
export type SecretRevocationCause = "revoke" | "expiry";

/** How long a claimed row is left to its claimer before another instance may retry it. */
const CLAIM_SECONDS = 60;
const PASS_LIMIT = 100;
/**
 * How long a revoke waits for the engine before answering `pending`, and how
 * long the worker gives one delete. An engine that accepts connections and
 * never answers must not hold either; the call left running may still land
 * and is then recorded like any other.
 */
const IMMEDIATE_DEADLINE_MS = 3_000;
const WORKER_DEADLINE_MS = 20_000;

class EngineDeadlineError extends Error {
  override name = "EngineDeadlineError";
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineDeadlineError("the secrets engine did not answer in time")), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

interface Claimed {
  credentialId: string;
  cloudId: string;
  cause: string;
  generation: number;
  attempts: number;
}

/**
 * Owes the engine a soft delete of the credential's secret, inside the
 * caller's transaction. Owing again (a rotation that wrote after the revoke's
 * delete) moves the generation, so a delete already in flight for the older
 * material cannot mark the newer one done.
 */
export async function oweSecretDeletion(tx: Tx, credentialId: string, cause: SecretRevocationCause): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO secret_revocations (credential_id, cause) VALUES (${credentialId}::uuid, ${cause})
    ON CONFLICT (credential_id) DO UPDATE
      SET cause = EXCLUDED.cause, generation = secret_revocations.generation + 1, requested_at = now(),
          completed_at = NULL, claimed_until = NULL`;
}

/**
 * One try for one credential, right after the transaction that owed it. Any
 * failure leaves the deletion pending for the worker; it is never thrown, so
 * the caller's answer can say "pending" instead of failing.
 */
export async function tryCompleteSecretDeletion(
  credentialId: string,
  deps: { store?: SecretStore } = {},
): Promise<SecretRevocationState | null> {
  try {
    // Not a claim: a worker holding this row may be mid-delete too, and a
    // second soft delete of the same version changes nothing.
    const [owed] = await db().$queryRaw<Claimed[]>`
      UPDATE secret_revocations r SET attempts = r.attempts + 1, last_attempt_at = now()
      FROM cloud_credentials c
      WHERE c.id = r.credential_id AND r.credential_id = ${credentialId}::uuid AND r.completed_at IS NULL
      RETURNING r.credential_id::text AS "credentialId", c.cloud_id::text AS "cloudId", r.cause, r.generation, r.attempts`;
    if (owed) await withDeadline(attempt(owed, deps.store ?? (await secretStore())), IMMEDIATE_DEADLINE_MS);
    return (await stateOf(credentialId)) ?? null;
  } catch (error) {
    log.warn("secret_revocation.pending", { credential_id: credentialId, error: errorName(error) });
    return "pending";
  }
}

/**
 * One pass of the worker: claims up to `limit` owed deletions nobody else
 * holds (FOR UPDATE SKIP LOCKED, then a short lease, so several server
 * instances share the work without doing it twice) and tries each.
 */
export async function completePendingSecretRevocations(
  deps: { store?: SecretStore; limit?: number } = {},
): Promise<{ completed: string[]; pending: string[] }> {
  const claimed = await db().$queryRaw<Claimed[]>`
    UPDATE secret_revocations r
      SET claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS}), attempts = r.attempts + 1, last_attempt_at = now()
    FROM cloud_credentials c
    WHERE c.id = r.credential_id AND r.credential_id IN (
      SELECT credential_id FROM secret_revocations
      WHERE completed_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
      ORDER BY requested_at
      LIMIT ${deps.limit ?? PASS_LIMIT}
      FOR UPDATE SKIP LOCKED)
    RETURNING r.credential_id::text AS "credentialId", c.cloud_id::text AS "cloudId", r.cause, r.generation, r.attempts`;
  if (claimed.length === 0) return { completed: [], pending: [] };
  const store = deps.store ?? (await secretStore());
  const completed: string[] = [];
  const pending: string[] = [];
  let hanging = false;
  for (const owed of claimed) {
    // An engine that hangs would cost every remaining row the full deadline: hand them back for the next pass.
    const done =
      !hanging &&
      (await withDeadline(attempt(owed, store), WORKER_DEADLINE_MS).catch((error) => {
        hanging = error instanceof EngineDeadlineError;
        log.warn("secret_revocation.retry_later", { credential_id: owed.credentialId, attempts: owed.attempts, error: errorName(error) });
        return false;
      }));
    if (!done && hanging) await release(owed);
    (done ? completed : pending).push(owed.credentialId);
  }
  return { completed, pending };
}

/** Soft-deletes, then marks done and records it in one transaction; false when the deletion is still owed. */
async function attempt(owed: Claimed, store: SecretStore): Promise<boolean> {
  try {
    await store.softDelete(credentialSecretPath(owed.cloudId, owed.credentialId));
  } catch (error) {
    // The error's name only: a driver's message is not ours to vouch for.
    await db().$executeRaw`UPDATE secret_revocations SET last_error = ${errorName(error)} WHERE credential_id = ${owed.credentialId}::uuid`;
    await release(owed);
    log.warn("secret_revocation.retry_later", { credential_id: owed.credentialId, attempts: owed.attempts, error: errorName(error) });
    return false;
  }
  return db().$transaction(async (tx) => {
    const done = await tx.$executeRaw`
      UPDATE secret_revocations SET completed_at = now(), claimed_until = NULL, last_error = NULL
      WHERE credential_id = ${owed.credentialId}::uuid AND generation = ${owed.generation} AND completed_at IS NULL`;
    // Owed again meanwhile (newer material), or another instance finished first.
    if (done === 0) return false;
    const credential = { type: "cloud_credential", id: owed.credentialId, cloudId: owed.cloudId } as const;
    await recordOnCloudObject(tx, "credential.secret_delete", credential, {
      reason: `secret soft-deleted after ${owed.cause}, attempt ${owed.attempts}`,
    });
    log.info("secret_revocation.completed", { credential_id: owed.credentialId, attempts: owed.attempts });
    return true;
  });
}

async function release(owed: Claimed): Promise<void> {
  await db()
    .$executeRaw`UPDATE secret_revocations SET claimed_until = NULL WHERE credential_id = ${owed.credentialId}::uuid AND generation = ${owed.generation}`;
}

async function stateOf(credentialId: string): Promise<SecretRevocationState | undefined> {
  const row = await db().secretRevocation.findUnique({ where: { credentialId }, select: { completedAt: true } });
  return row ? (row.completedAt ? "complete" : "pending") : undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown";
}
