import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { check, grant } from "@/lib/authz/service";
import { createCloud } from "@/lib/clouds/service";
import { authorizeIssue } from "@/lib/credentials/issue";
import { getCloudCredential, listCloudCredentials } from "@/lib/credentials/read";
import { PermissionDeniedError } from "@/lib/errors";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { connectDatabase, disconnectDatabase, type Db } from "./client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";
import { migrate } from "./migrate";

/**
 * PGlite is one PostgreSQL session. These tests load the embedded database
 * the way `npm start` does (the app's pool, tools on the same socket) and
 * compare every answer with what that caller should get: a status alone
 * would not notice a query answered with another connection's rows.
 * They start their own embedded database, so they run on both test targets.
 */
let embedded: EmbeddedDatabase;
let client: Db;

before(async () => {
  embedded = await startEmbeddedDatabase({ socketDir: mkdtempSync(path.join(tmpdir(), "pglc-")) });
  await migrate(embedded.url);
  client = connectDatabase(embedded.url, { embedded: true });
});

after(async () => {
  await disconnectDatabase();
  await embedded.stop();
});

async function newUser(label: string, platformAdmin = false) {
  const id = randomUUID();
  await client.user.create({ data: { id, email: `${label}-${id}@test.example`, displayName: label, passwordHash: "x" } });
  if (platformAdmin) await grant(client, { type: "platform", id: PLATFORM_ID }, "manage", id);
  return { id };
}

describe("the embedded database under concurrency", () => {
  test("several tool connections each get their own answers, and their transactions never interleave", async () => {
    const setup = new pg.Client({ connectionString: embedded.url });
    await setup.connect();
    await setup.query("CREATE TABLE concurrency_probe (owner int NOT NULL, n int NOT NULL)");
    await setup.end();

    const CONNECTIONS = 6;
    const ROUNDS = 10;
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, owner) => {
        const c = new pg.Client({ connectionString: embedded.url });
        await c.connect();
        try {
          for (let round = 0; round < ROUNDS; round++) {
            // Extended protocol (Parse/Bind/Execute/Sync) with this connection's own parameters.
            const echo = await c.query("SELECT $1::int AS owner, $2::int AS round", [owner, round]);
            if (echo.rows[0]?.owner !== owner || echo.rows[0]?.round !== round) {
              failures.push(`connection ${owner} round ${round} got ${JSON.stringify(echo.rows)}`);
            }
            // A transaction that sees its own uncommitted row, and nobody else's.
            await c.query("BEGIN");
            await c.query("INSERT INTO concurrency_probe VALUES ($1, $2)", [owner, round]);
            const mine = await c.query("SELECT count(*)::int AS n FROM concurrency_probe WHERE owner = $1", [owner]);
            if (mine.rows[0]?.n !== round + 1) failures.push(`connection ${owner} round ${round} counted ${JSON.stringify(mine.rows)}`);
            await c.query(round % 2 === 0 ? "COMMIT" : "ROLLBACK");
            if (round % 2 === 1) {
              // The rolled-back row is replayed so the count stays round + 1 next time.
              await c.query("INSERT INTO concurrency_probe VALUES ($1, $2)", [owner, round]);
            }
          }
        } finally {
          await c.end();
        }
      }),
    );
    assert.deepEqual(failures, []);
    const check = new pg.Client({ connectionString: embedded.url });
    await check.connect();
    const counts = await check.query("SELECT owner, count(*)::int AS n FROM concurrency_probe GROUP BY owner ORDER BY owner");
    await check.end();
    assert.deepEqual(
      counts.rows,
      Array.from({ length: CONNECTIONS }, (_, owner) => ({ owner, n: ROUNDS })),
    );
  });

  test("a half-sent extended-protocol batch keeps the session: another connection waits until its Sync", async () => {
    const socketPath = path.join(decodeURIComponent(new URL(embedded.url).searchParams.get("host")!), ".s.PGSQL.5432");
    const raw = connect(socketPath);
    let received = Buffer.alloc(0);
    raw.on("data", (d) => (received = Buffer.concat([received, d])));
    const frame = (type: string, body: Buffer) => {
      const header = Buffer.alloc(5);
      header.write(type, 0, "latin1");
      header.writeInt32BE(4 + body.length, 1);
      return Buffer.concat([header, body]);
    };
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 25));
      assert.ok(predicate());
    };
    const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    raw.write(Buffer.concat([startup, params]));
    await until(() => received.includes(Buffer.from([0x5a, 0, 0, 0, 5, 0x49])));
    received = Buffer.alloc(0);
    // Parse, Bind and Execute of an unnamed statement, and no Sync yet.
    raw.write(
      Buffer.concat([
        frame("P", Buffer.from("\0SELECT 'mine'::text\0\0\0")),
        frame("B", Buffer.from("\0\0\0\0\0\0\0\0")),
        frame("E", Buffer.from("\0\0\0\0\0")),
      ]),
    );
    await new Promise((r) => setTimeout(r, 200));
    let otherAnswered = false;
    const other = (async () => {
      const c = new pg.Client({ connectionString: embedded.url });
      await c.connect();
      try {
        const rows = (await c.query("SELECT $1::text AS who", ["theirs"])).rows;
        otherAnswered = true;
        return rows;
      } finally {
        await c.end();
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(otherAnswered, false, "another connection ran in the middle of an unfinished batch");
    raw.write(frame("S", Buffer.alloc(0)));
    await until(() => received.includes(Buffer.from([0x5a, 0, 0, 0, 5, 0x49])));
    assert.ok(received.includes(Buffer.from("mine")), "the batch got its own row");
    assert.deepEqual(await other, [{ who: "theirs" }]);
    raw.end(frame("X", Buffer.alloc(0)));
  });

  test("a connection that disconnects inside a transaction has it rolled back, and the others carry on", async () => {
    const quitter = new pg.Client({ connectionString: embedded.url });
    await quitter.connect();
    await quitter.query("CREATE TABLE IF NOT EXISTS quitter_probe (v text)");
    await quitter.query("BEGIN");
    await quitter.query("INSERT INTO quitter_probe VALUES ('never committed')");
    const waiting = (async () => {
      const other = new pg.Client({ connectionString: embedded.url });
      await other.connect();
      try {
        return (await other.query("SELECT count(*)::int AS n FROM quitter_probe")).rows[0].n;
      } finally {
        await other.end();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await quitter.end(); // no COMMIT
    assert.equal(await waiting, 0);
  });

  test("200 concurrent issues, interleaved with reads and permission checks by other users, all answer correctly", async () => {
    const operators = [await newUser("op-a", true), await newUser("op-b", true)];
    const viewer = await newUser("viewer");
    const clouds = await Promise.all(
      operators.map((op, i) =>
        createCloud(op, {
          display_name: `Cloud ${i}`,
          slug: `conc-${i}-${randomUUID().slice(0, 8)}`,
          provider: "aws",
          external_id: randomUUID(),
          endpoint: {},
          region_defaults: {},
        }),
      ),
    );
    const store = new EmbeddedSecretStore(client, randomBytes(32));
    const failures: string[] = [];
    const issued = new Map<string, { cloudId: string; displayName: string }>();

    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const which = i % 2;
        const op = operators[which];
        const cloud = clouds[which];
        const displayName = `credential ${i} of ${cloud.id}`;
        try {
          const view = await (await authorizeIssue(op, cloud.id, { store })).issue({
            displayName,
            payload: new TextEncoder().encode(`payload-${i}`),
            keyValues: { n: String(i) },
            allowUnusualShape: true,
          });
          if (view.cloudId !== cloud.id || view.displayName !== displayName) {
            failures.push(`issue ${i} answered ${view.cloudId} ${view.displayName}`);
          }
          issued.set(view.id, { cloudId: cloud.id, displayName });
          const read = await getCloudCredential(op, view.id);
          if (read.id !== view.id || read.displayName !== displayName) failures.push(`read ${i} answered ${read.id} ${read.displayName}`);
          const material = await store.read(`plexsphere/clouds/${cloud.id}/cloud-credentials/${view.id}`);
          if (new TextDecoder().decode(material?.payload) !== `payload-${i}`) failures.push(`secret ${i} is not its own`);
          // Platform admins observe every Cloud but manage only their own; the viewer sees none.
          if (!(await check(op, "observe", { cloud: clouds[1 - which].id })))
            failures.push(`operator ${which} cannot observe the other Cloud`);
          if (await check(op, "manage", { cloud: clouds[1 - which].id })) failures.push(`operator ${which} manages the other Cloud`);
          if (await check(viewer, "observe", { cloud: cloud.id })) failures.push(`viewer allowed on cloud ${which} (${i})`);
          await listCloudCredentials(viewer, cloud.id, { limit: 200 })
            .then((p) => p.items)
            .then(
              () => failures.push(`viewer listed cloud ${which} (${i})`),
              (error: unknown) => void (error instanceof PermissionDeniedError || failures.push(`viewer list ${i}: ${String(error)}`)),
            );
          const list = await listCloudCredentials(op, cloud.id, { limit: 200 }).then((p) => p.items);
          if (list.some((c) => c.cloudId !== cloud.id)) failures.push(`list ${i} has another Cloud's rows`);
        } catch (error) {
          failures.push(`request ${i} failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`);
        }
      }),
    );

    assert.deepEqual(failures, []);
    assert.equal(issued.size, 200);
    for (const [index, cloud] of clouds.entries()) {
      const list = await listCloudCredentials(operators[index], cloud.id, { limit: 200 }).then((p) => p.items);
      assert.deepEqual(
        list.map((c) => c.displayName).sort(),
        [...issued.values()]
          .filter((c) => c.cloudId === cloud.id)
          .map((c) => c.displayName)
          .sort(),
      );
    }
  });
});
