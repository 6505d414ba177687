import "server-only";
import pg from "pg";

/**
 * Runs `fn` while holding a PostgreSQL session-level advisory lock on a
 * connection of its own, so several console instances starting against one
 * database take turns: the first migrates and seeds, the others then find
 * everything in place instead of racing it (a seed insert losing such a race
 * used to end in a unique violation). On the embedded database there is one
 * session and one process, so the lock is granted at once.
 */
export async function withAdvisoryLock<T>(databaseUrl: string, key: number, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    return await fn();
  } finally {
    // Closing the session releases the lock too; unlock first so it goes as soon as we are done.
    await client.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => {});
    await client.end().catch(() => {});
  }
}
