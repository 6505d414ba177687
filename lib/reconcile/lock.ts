import "server-only";
import pg from "pg";

/**
 * At most one reconcile pass at a time, across every server instance that
 * shares the database. On PostgreSQL a session-level advisory lock held on a
 * connection of its own: it is not a pool connection that Prisma could hand
 * to another query, it needs no long transaction, and if the process dies
 * the connection drops and PostgreSQL releases the lock. The embedded
 * database belongs to one process by construction (its socket refuses a
 * second console), so there the in-process guard is the whole lock.
 */
export const RECONCILE_LOCK = {
  name: "plexsphere.reconcile",
  take: "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked",
  release: "SELECT pg_advisory_unlock(hashtextextended($1, 0))",
} as const;

// Next may evaluate this module in more than one bundle; the guard is per process.
const state = globalThis as unknown as { __plexsphereReconciling?: boolean };

export type LockedRun<T> = { busy: true } | { busy: false; result: T };

/** Runs `pass` holding the lock; `{ busy: true }` when another pass holds it. */
export async function withReconcileLock<T>(lockUrl: string | undefined, pass: () => Promise<T>): Promise<LockedRun<T>> {
  if (state.__plexsphereReconciling) return { busy: true };
  state.__plexsphereReconciling = true;
  try {
    if (!lockUrl) return { busy: false, result: await pass() };
    const client = new pg.Client({ connectionString: lockUrl });
    // An error on an idle client would otherwise be an uncaught exception.
    client.on("error", () => undefined);
    await client.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(RECONCILE_LOCK.take, [RECONCILE_LOCK.name]);
      if (!rows[0]?.locked) return { busy: true };
      try {
        return { busy: false, result: await pass() };
      } finally {
        await client.query(RECONCILE_LOCK.release, [RECONCILE_LOCK.name]).catch(() => undefined);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  } finally {
    state.__plexsphereReconciling = false;
  }
}
