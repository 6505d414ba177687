import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { Prisma } from "@/lib/db/generated/client";
import { closeTestDatabase, testDatabase } from "@/testing/database";
import { ADVISORY_LOCKS, lockForTransaction, trySessionLock, withSessionLock } from "./lock";

/**
 * The advisory locks as callers rely on them. Session-level locks only mean
 * something between PostgreSQL sessions (PGlite is one session), so those
 * run on a database of their own on the PostgreSQL server whatever the test
 * target is, as lib/boot.test.ts does.
 */
const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const name = `plexsphere_lock_${randomBytes(6).toString("hex")}`;
const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("advisory locks", () => {
  before(() => withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`)));
  after(async () => {
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await closeTestDatabase();
  });

  test("every lock has a key of its own, and the keys earlier versions locked on are kept (a rolling start still excludes)", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const locks = [
        ADVISORY_LOCKS.migrations,
        ADVISORY_LOCKS.boot,
        ADVISORY_LOCKS.auditSeal,
        ADVISORY_LOCKS.reconcile,
        ADVISORY_LOCKS.invitation("a@example.com"),
      ];
      const keyOf = async (key: Prisma.Sql) => {
        const q = Prisma.sql`SELECT (${key})::text AS key`;
        return (await client.query<{ key: string }>(q.text, q.values as unknown[])).rows[0].key;
      };
      const keys = await Promise.all(locks.map((l) => keyOf(l.key)));
      assert.equal(new Set(keys).size, keys.length, `distinct keys: ${keys.join(", ")}`);
      const [earlier] = (
        await client.query(
          "SELECT hashtextextended('plexsphere.reconcile', 0)::text AS reconcile, hashtext('invitation:a@example.com')::text AS invitation",
        )
      ).rows;
      assert.deepEqual(keys, ["7421301", "7421302", "7421303", earlier.reconcile, earlier.invitation]);
    } finally {
      await client.end();
    }
  });

  test("withSessionLock waits its turn: a second holder runs only after the first has released", async () => {
    const events: string[] = [];
    let finishFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (finishFirst = resolve));
    let firstHolds!: () => void;
    const firstHolding = new Promise<void>((resolve) => (firstHolds = resolve));
    const first = withSessionLock(url, ADVISORY_LOCKS.boot, async () => {
      events.push("first in");
      firstHolds();
      await firstMayFinish;
      events.push("first out");
    });
    await firstHolding;
    const second = withSessionLock(url, ADVISORY_LOCKS.boot, async () => {
      events.push("second in");
      return "second's answer";
    });
    await tick();
    await tick();
    assert.deepEqual(events, ["first in"], "the second is still waiting");
    finishFirst();
    assert.equal(await second, "second's answer");
    await first;
    assert.deepEqual(events, ["first in", "first out", "second in"]);
  });

  test("trySessionLock does not wait: busy while another session holds the lock, and runs once it is free", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holds!: () => void;
    const holding = new Promise<void>((resolve) => (holds = resolve));
    const holder = trySessionLock(url, ADVISORY_LOCKS.reconcile, async () => {
      holds();
      await released;
    });
    await holding;
    let ran = false;
    assert.deepEqual(await trySessionLock(url, ADVISORY_LOCKS.reconcile, async () => (ran = true)), { busy: true });
    assert.equal(ran, false);
    release();
    await holder;
    assert.deepEqual(await trySessionLock(url, ADVISORY_LOCKS.reconcile, async () => "ran"), { busy: false, result: "ran" });
  });

  test("a session lock is released when its work fails", async () => {
    await assert.rejects(
      withSessionLock(url, ADVISORY_LOCKS.migrations, async () => Promise.reject(new Error("boom"))),
      /boom/,
    );
    assert.deepEqual(await trySessionLock(url, ADVISORY_LOCKS.migrations, async () => 1), { busy: false, result: 1 });
  });

  test("lockForTransaction holds until the transaction ends: a second transaction waits for the first's commit", async () => {
    const db = await testDatabase();
    const events: string[] = [];
    let finishFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (finishFirst = resolve));
    let firstHolds!: () => void;
    const firstHolding = new Promise<void>((resolve) => (firstHolds = resolve));
    const first = db.$transaction(async (tx) => {
      await lockForTransaction(tx, ADVISORY_LOCKS.auditSeal);
      events.push("first locked");
      firstHolds();
      await firstMayFinish;
      events.push("first commits");
    });
    await firstHolding;
    const second = db.$transaction(async (tx) => {
      await lockForTransaction(tx, ADVISORY_LOCKS.auditSeal);
      events.push("second locked");
    });
    await tick();
    await tick();
    assert.deepEqual(events, ["first locked"]);
    finishFirst();
    await Promise.all([first, second]);
    assert.deepEqual(events, ["first locked", "first commits", "second locked"]);
  });
});
