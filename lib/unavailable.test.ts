import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { unavailableDependency } from "./unavailable";

const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Errors as node-postgres reports them when a query goes straight to the pool
 * (the token, issue and read paths), from a real PostgreSQL: a refusal that
 * says the server is full or going away is the database being unavailable
 * (503 with Retry-After), not a bug (500).
 */
describe("PostgreSQL's own refusals are the database being unavailable", () => {
  const role = `plexsphere_full_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });

  before(async () => {
    await admin.connect();
    // A role allowed no connections gets the same SQLSTATE (53300) as a server with every slot taken.
    await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`);
  });
  after(async () => {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  test("too many connections (53300) from the pool", async () => {
    const url = new URL(adminUrl);
    url.username = role;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    pool.on("error", () => {});
    const error = await pool.query("SELECT 1").then(
      () => assert.fail("a role allowed no connections connected"),
      (e: unknown) => e,
    );
    await pool.end();
    assert.equal((error as { code?: string }).code, "53300");
    assert.equal(unavailableDependency(error), "database");
  });

  test("a query error that is the caller's or ours is not", async () => {
    const error = await admin.query("SELECT * FROM no_such_table").then(
      () => assert.fail("the query ran"),
      (e: unknown) => e,
    );
    assert.equal(unavailableDependency(error), undefined);
  });
});
