import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import pg from "pg";
import { db } from "./client";
import { withConsoleDatabase } from "./console-database";
import { startEmbeddedDatabase } from "./embedded";
import { migrate } from "./migrate";

/**
 * What the command-line tools (npm run reconcile, remind, admin, idp:add)
 * get from withConsoleDatabase: the console's own database, migrated,
 * connected while their work runs and closed after it.
 */
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
const socketOf = (dataDir: string) => path.join(dataDir, ".s.PGSQL.5432");
const migrationsApplied = async () => Number((await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "_prisma_migrations"`)[0].n);

describe("withConsoleDatabase", () => {
  after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test("with no console running, starts the embedded database under DATA_DIR, migrates it, and stops it afterwards", async () => {
    const dataDir = tempDir("pgc-");
    const seen = await withConsoleDatabase(
      async () => {
        assert.ok(existsSync(socketOf(dataDir)), "served on the data folder's socket while the work runs");
        return { migrations: await migrationsApplied(), users: await db().user.count() };
      },
      { databaseUrl: undefined, dataDir },
    );
    assert.ok(seen.migrations > 0, "the schema is there");
    assert.equal(seen.users, 0);
    assert.throws(() => db(), /not connected/, "disconnected afterwards");
    assert.equal(existsSync(socketOf(dataDir)), false, "the embedded database it started is stopped");
    assert.ok(existsSync(path.join(dataDir, "pglite")), "its data stays in DATA_DIR/pglite");
  });

  test("while a console serves the embedded database, goes through its socket and leaves it running", async () => {
    const dataDir = tempDir("pgc-");
    const running = await startEmbeddedDatabase({ dataDir: path.join(dataDir, "pglite"), socketDir: dataDir });
    try {
      await migrate(running.url);
      const client = new pg.Client({ connectionString: running.url });
      await client.connect();
      await client.query("CREATE TABLE console_marker (v text); INSERT INTO console_marker VALUES ('the running console')");
      await client.end();

      const marker = await withConsoleDatabase(async () => (await db().$queryRaw<{ v: string }[]>`SELECT v FROM console_marker`)[0].v, {
        databaseUrl: undefined,
        dataDir,
      });
      assert.equal(marker, "the running console");
      const after = new pg.Client({ connectionString: running.url });
      await after.connect();
      assert.equal((await after.query("SELECT 1 AS one")).rows[0].one, 1, "the console's database still answers");
      await after.end();
    } finally {
      await running.stop();
    }
  });

  test("a failure to start the embedded database other than a running console is reported, not turned into a socket that is not there", async () => {
    const deep = path.join(tempDir("pgc-"), "d".repeat(120));
    let ran = false;
    await assert.rejects(
      withConsoleDatabase(async () => (ran = true), { databaseUrl: undefined, dataDir: deep }),
      /socket path is too long/,
    );
    assert.equal(ran, false);
  });

  test("with DATABASE_URL, uses that database and never starts an embedded one", async () => {
    // The PostgreSQL pass's own database; on the embedded pass, a server on a socket elsewhere stands in for it.
    const elsewhere = process.env.DATABASE_URL ? undefined : await startEmbeddedDatabase({ socketDir: tempDir("pgo-") });
    const databaseUrl = process.env.DATABASE_URL || elsewhere!.url;
    try {
      const dataDir = tempDir("pgc-");
      const migrations = await withConsoleDatabase(migrationsApplied, { databaseUrl, dataDir });
      assert.ok(migrations > 0, "that database, migrated");
      assert.equal(existsSync(path.join(dataDir, "pglite")), false, "no embedded database under DATA_DIR");
      assert.equal(existsSync(socketOf(dataDir)), false);
    } finally {
      await elsewhere?.stop();
    }
  });
});
