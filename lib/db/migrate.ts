import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { ADVISORY_LOCKS, withSessionLock } from "./lock";

/**
 * Applies prisma/migrations/<name>/migration.sql in order and records each in
 * Prisma's own `_prisma_migrations` table (same columns, same sha256
 * checksum), so a machine with Prisma's native engine can take over with
 * `prisma migrate deploy` unchanged. We run our own because Prisma's schema
 * engine is a native binary that cannot be downloaded on every machine, and
 * the console must migrate on start, offline.
 */
const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

const CREATE_BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
}

export async function migrate(databaseUrl: string): Promise<MigrationResult> {
  // Two processes starting at once must not both apply the same migration.
  return withSessionLock(databaseUrl, ADVISORY_LOCKS.migrations, async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return { applied: await applyPending(client) };
    } finally {
      await client.end();
    }
  });
}

async function applyPending(client: pg.Client): Promise<string[]> {
  await client.query(CREATE_BOOKKEEPING);
  const done = await client.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const appliedBefore = new Map(done.rows.map((r) => [r.migration_name, r.checksum]));
  const applied: string[] = [];
  for (const name of await migrationNames()) {
    const sql = await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const previous = appliedBefore.get(name);
    if (previous !== undefined) {
      if (previous !== checksum) throw new Error(`migration ${name} was edited after it was applied`);
      continue;
    }
    await client.query("BEGIN");
    try {
      await client.query(sql);
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), checksum, name],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
    applied.push(name);
  }
  return applied;
}

/** The migrations this build ships, in order (prisma/migrations). */
export async function migrationNames(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
