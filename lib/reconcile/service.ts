import "server-only";
import { recordOnCloudObject } from "@/lib/audit/service";
import { db } from "@/lib/db/client";
import { ADVISORY_LOCKS, trySessionLock, type LockedRun } from "@/lib/db/lock";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";
import { CREDENTIAL_SECRETS_ROOT, credentialSecretPath, parseCredentialSecretPath, secretStore, type SecretStore } from "@/lib/vault";

/**
 * Brings the secrets engine and the credential rows back into agreement
 * after a crash. Issuing writes the secret first and commits the row second,
 * so a process killed in between leaves a secret nobody can see or revoke;
 * and an engine restored from an old backup, or cleaned by hand, can lose a
 * secret whose row still promises it.
 *
 * - A secret under the console's prefix with no row, created longer ago than
 *   the grace period, is destroyed. The grace protects issues in flight:
 *   their secret exists a moment before their row.
 * - A row that is not revoked and whose secret is gone (or its latest
 *   version deleted) gets `secret_missing_at`; the status is left alone (the
 *   contract's statuses say nothing about storage), and Test reports it.
 *   If the secret comes back, the mark is cleared.
 *
 * Every change is recorded in the audit trail with the system as actor.
 */
export interface ReconcileOptions {
  /** Secrets younger than this are never destroyed, whatever the rows say. */
  graceMs: number;
  store?: SecretStore;
  now?: () => Date;
  /** Test seam: look only at these Clouds (test files share one database). */
  cloudIds?: string[];
}

export interface ReconcileReport {
  secretsListed: number;
  rowsChecked: number;
  orphansDestroyed: number;
  orphansWithinGrace: number;
  secretsMissing: number;
  secretsRestored: number;
}

/** One pass; call it through `runReconcilePass` unless the caller holds the lock. */
export async function reconcileSecrets(options: ReconcileOptions): Promise<ReconcileReport> {
  const store = options.store ?? (await secretStore());
  const now = options.now?.() ?? new Date();
  const cutoff = now.getTime() - options.graceMs;
  const onlyClouds = options.cloudIds ? { cloudId: { in: options.cloudIds } } : {};

  // Rows before secrets: a secret is written before its row, so every row read
  // here has its secret in the listing below unless the secret is really gone.
  const rows = await db().cloudCredential.findMany({
    where: onlyClouds,
    select: { id: true, cloudId: true, revokedAt: true, expiredAt: true, secretMissingAt: true },
  });
  const prefixes = options.cloudIds ? options.cloudIds.map((id) => `${CREDENTIAL_SECRETS_ROOT}${id}/`) : [CREDENTIAL_SECRETS_ROOT];
  const secrets = (await Promise.all(prefixes.map((prefix) => store.list(prefix)))).flat();

  const report: ReconcileReport = {
    secretsListed: secrets.length,
    rowsChecked: rows.length,
    orphansDestroyed: 0,
    orphansWithinGrace: 0,
    secretsMissing: 0,
    secretsRestored: 0,
  };

  const rowPaths = new Set(rows.map((row) => credentialSecretPath(row.cloudId, row.id)));
  for (const secret of secrets) {
    if (rowPaths.has(secret.path)) continue;
    const ids = parseCredentialSecretPath(secret.path);
    // Under our prefix but not in our shape: not ours to judge.
    if (!ids) continue;
    // An unreadable creation time counts as young: never destroy on a guess.
    if (!(secret.createdAt.getTime() <= cutoff)) {
      report.orphansWithinGrace++;
      continue;
    }
    // The row may have committed since the snapshot; then this is no orphan.
    const row = await db().cloudCredential.findFirst({ where: { id: ids.credentialId, cloudId: ids.cloudId }, select: { id: true } });
    if (row) continue;
    await store.destroy(secret.path);
    report.orphansDestroyed++;
    await recordOnCloudObject(
      db(),
      "credential.orphan_destroyed",
      { type: "cloud_credential", id: ids.credentialId, cloudId: ids.cloudId },
      {
        reason: `secret created ${secret.createdAt.toISOString()} had no credential row after the ${Math.round(options.graceMs / 1000)} s grace`,
      },
    );
    log.warn("reconcile.orphan_destroyed", { credential_id: ids.credentialId, cloud_id: ids.cloudId });
  }

  const livePaths = new Set(secrets.filter((s) => s.live).map((s) => s.path));
  for (const row of rows) {
    const live = livePaths.has(credentialSecretPath(row.cloudId, row.id));
    // Revoked and expired rows owe the engine a delete (the outbox), so their secret is meant to go.
    if (!live && !row.revokedAt && !row.expiredAt && !row.secretMissingAt) {
      // Conditional on revoked_at: a revoke commits its row before it soft-deletes,
      // so one that raced this pass is seen here and is not reported as a loss.
      const marked = await db().$transaction(async (tx) => {
        const { count } = await tx.cloudCredential.updateMany({
          where: { id: row.id, revokedAt: null, expiredAt: null, secretMissingAt: null },
          data: { secretMissingAt: now },
        });
        if (count > 0) {
          await recordOnCloudObject(
            tx,
            "credential.secret_missing",
            { type: "cloud_credential", id: row.id, cloudId: row.cloudId },
            {
              outcome: "failed",
              reason: "the secrets engine holds no readable version of this credential",
            },
          );
        }
        return count;
      });
      report.secretsMissing += marked;
      if (marked) log.error("reconcile.secret_missing", { credential_id: row.id, cloud_id: row.cloudId });
    } else if (live && row.secretMissingAt) {
      const cleared = await db().$transaction(async (tx) => {
        const { count } = await tx.cloudCredential.updateMany({
          where: { id: row.id, secretMissingAt: { not: null } },
          data: { secretMissingAt: null },
        });
        if (count > 0) {
          const restored = { type: "cloud_credential", id: row.id, cloudId: row.cloudId } as const;
          await recordOnCloudObject(tx, "credential.secret_restored", restored, {
            reason: "the secrets engine holds this credential again",
          });
        }
        return count;
      });
      report.secretsRestored += cleared;
    }
  }
  return report;
}

// Next may evaluate this module in more than one bundle; the guard is per process.
const state = globalThis as unknown as { __plexsphereReconciling?: boolean };

/**
 * At most one pass at a time: one per process (the guard), and one across
 * every instance sharing a PostgreSQL database (a session-level advisory
 * lock, tried, never waited for: a busy pass answers `{ busy: true }`).
 * `lockUrl` is that shared database's URL; undefined for the embedded
 * database, which one process owns, so there the guard is the whole lock.
 */
export async function runReconcilePass(options: ReconcileOptions & { lockUrl: string | undefined }): Promise<LockedRun<ReconcileReport>> {
  if (state.__plexsphereReconciling) return { busy: true };
  state.__plexsphereReconciling = true;
  try {
    const pass = () => reconcileSecrets(options);
    return options.lockUrl ? await trySessionLock(options.lockUrl, ADVISORY_LOCKS.reconcile, pass) : { busy: false, result: await pass() };
  } finally {
    state.__plexsphereReconciling = false;
  }
}

/**
 * The server's schedule (lib/boot.ts): a pass now and every interval after.
 * A failed or busy pass is logged and tried again on the next tick.
 */
export function startReconciler(options: { intervalMs: number; graceMs: number; lockUrl: string | undefined }): NodeJS.Timeout {
  const tick = () =>
    runReconcilePass({ graceMs: options.graceMs, lockUrl: options.lockUrl })
      .then((run) => {
        if (run.busy) return;
        const { orphansDestroyed, secretsMissing, secretsRestored } = run.result;
        metrics().reconcileOrphansFound.inc(orphansDestroyed + run.result.orphansWithinGrace);
        metrics().reconcileOrphansDestroyed.inc(orphansDestroyed);
        if (orphansDestroyed + secretsMissing + secretsRestored > 0) log.info("reconcile.pass", { ...run.result });
      })
      .catch((error) => log.error("reconcile.failed", { error: error instanceof Error ? error.name : "unknown" }));
  void tick();
  return setInterval(tick, options.intervalMs).unref();
}
