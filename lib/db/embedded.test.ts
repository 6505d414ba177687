import assert from "node:assert/strict";
import { statSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import pg from "pg";
import { startEmbeddedDatabase } from "./embedded";

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("the embedded database", () => {
  test("listens only on a Unix socket in a folder nobody else may enter, and keeps data across a restart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pgl-"));
    const first = await startEmbeddedDatabase({ dataDir: path.join(dir, "pglite"), socketDir: dir });
    try {
      assert.match(first.url, /host=%2F/, "the URL names a socket folder, not a TCP host");
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(path.join(dir, ".s.PGSQL.5432")).isSocket(), true);
      await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
      await assert.rejects(startEmbeddedDatabase({ socketDir: dir }), /already serving/, "a second server on the same folder is refused");
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedDatabase({ dataDir: path.join(dir, "pglite"), socketDir: dir });
    try {
      assert.deepEqual(await query(second.url, "SELECT v FROM kept"), [{ v: "still here" }]);
    } finally {
      await second.stop();
    }
  });

  test("a socket file left by a crashed process is cleared, and an existing folder is tightened to 0700", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pgl-"));
    const { chmodSync } = await import("node:fs");
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, ".s.PGSQL.5432"), "");
    const db = await startEmbeddedDatabase({ socketDir: dir });
    try {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.deepEqual(await query(db.url, "SELECT 1 AS one"), [{ one: 1 }]);
    } finally {
      await db.stop();
    }
  });
});
