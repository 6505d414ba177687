import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { closeTestDatabase, testDatabase, testDatabaseUrl } from "@/testing/database";
import { migrate } from "./migrate";

describe("migrations", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("applying again does nothing, and the bookkeeping matches Prisma's checksums", async () => {
    const url = await testDatabaseUrl();
    assert.deepEqual(await migrate(url), { applied: [] });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = await client.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE migration_name = '20261122000000_init'`,
      );
      const sql = await readFile(path.join(process.cwd(), "prisma/migrations/20261122000000_init/migration.sql"));
      assert.equal(rows.rows.length, 1);
      assert.equal(rows.rows[0].checksum, createHash("sha256").update(sql).digest("hex"));
    } finally {
      await client.end();
    }
  });
});
