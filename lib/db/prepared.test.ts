import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Prisma } from "@/lib/db/generated/client";
import { closeTestDatabase, testDatabase, testDatabaseUrl } from "@/testing/database";
import { connectDatabase, disconnectDatabase, queryRows } from "./client";

after(closeTestDatabase);

/**
 * The budgeted statements (queryRows) are prepared once per PostgreSQL
 * connection and then only executed; on the embedded database, whose one
 * session outlives a pooled connection, they are not prepared at all.
 */
test("queryRows prepares its statement on PostgreSQL, once per connection, and not on the embedded database", async () => {
  await testDatabase();
  const marker = `prepared-test-${Date.now()}`;
  const statement = Prisma.sql`SELECT ${marker}::text AS marker, count(*)::int AS n FROM users WHERE email = ${marker}`;
  for (let i = 0; i < 3; i++) assert.deepEqual(await queryRows(statement), [{ marker, n: 0 }]);
  // Sequential queries reuse the pool's most recently released connection: the one that ran the statement.
  const prepared = await queryRows<{ statement: string }>(Prisma.sql`SELECT statement FROM pg_prepared_statements`);
  const ours = prepared.filter((p) => p.statement.includes("AS marker, count(*)::int AS n FROM users WHERE email"));
  assert.equal(ours.length, process.env.TEST_DATABASE === "embedded" ? 0 : 1, JSON.stringify(prepared));
});

test("with DATABASE_PREPARED_STATEMENTS=false (a pooler that cannot keep them) nothing is prepared", async () => {
  const url = await testDatabaseUrl();
  const embedded = process.env.TEST_DATABASE === "embedded";
  await disconnectDatabase();
  connectDatabase(url, { embedded, preparedStatements: false });
  const marker = `unprepared-test-${Date.now()}`;
  const statement = Prisma.sql`SELECT ${marker}::text AS marker, count(*)::int AS m FROM users WHERE email = ${marker}`;
  for (let i = 0; i < 3; i++) assert.deepEqual(await queryRows(statement), [{ marker, m: 0 }]);
  const prepared = await queryRows<{ statement: string }>(Prisma.sql`SELECT statement FROM pg_prepared_statements`);
  assert.deepEqual(prepared, []);
});
