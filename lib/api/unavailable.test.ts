import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { startKv2Double, type Kv2Double } from "@/testing/kv2-double";
import { startTcpProxy, type TcpProxy } from "@/testing/tcp-proxy";

/**
 * The database and the secrets engine go away and come back while the
 * console runs. Each sits behind a TCP proxy the test cuts: callers must get
 * a 503 with a stable code and a Retry-After (never a 500 `internal`),
 * /v1/health must say which dependency is down, and everything must work
 * again once it is back, with no restart. Needs PostgreSQL on both targets:
 * PGlite is in-process and cannot be cut off like a server.
 */
const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `plexsphere_outage_${randomBytes(6).toString("hex")}`;

let dbProxy: TcpProxy;
let vaultProxy: TcpProxy;
let kv2: Kv2Double;
let admin: pg.Client;
let cloudId: string;

let operator: { id: string };

// Imported once the environment names the proxies (lib/env.ts reads it on first use).
let health: typeof import("@/lib/health");
let problems: typeof import("@/lib/api/problem");
let tokens: typeof import("@/lib/tokens/service");
let cloudService: typeof import("@/lib/clouds/service");
let credentialService: typeof import("@/lib/credentials/issue");
let token: string;

before(async () => {
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const target = new URL(adminUrl);
  dbProxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
  kv2 = await startKv2Double({ port: 0 });
  const vaultTarget = new URL(kv2.url);
  vaultProxy = await startTcpProxy({ targetHost: vaultTarget.hostname, targetPort: Number(vaultTarget.port) });
  // lib/env.ts reads the environment once, on first use, which is after this.
  process.env.VAULT_ADDR = `http://127.0.0.1:${vaultProxy.port}`;
  process.env.VAULT_TOKEN = kv2.token;
  process.env.DATABASE_URL = "";

  const direct = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const viaProxy = Object.assign(new URL(direct), { host: `127.0.0.1:${dbProxy.port}` }).toString();
  const { migrate } = await import("@/lib/db/migrate");
  await migrate(direct);
  const { connectDatabase } = await import("@/lib/db/client");
  const client = connectDatabase(viaProxy, { embedded: false });

  const { grant } = await import("@/lib/authz/service");
  const { PLATFORM_ID } = await import("@/lib/authz/schema");
  const { issueToken } = await import("@/lib/tokens/service");
  const { createCloud } = await import("@/lib/clouds/service");
  operator = { id: randomUUID() };
  await client.user.create({
    data: { id: operator.id, email: `op-${operator.id}@test.example`, displayName: "Operator", passwordHash: "x" },
  });
  await grant(client, { type: "platform", id: PLATFORM_ID }, "manage", operator.id);
  token = (await issueToken(operator, { envPrefix: "dev" })).plaintext;
  cloudId = (
    await createCloud(operator, {
      display_name: "Outage",
      slug: `outage-${randomUUID().slice(0, 8)}`,
      provider: "aws",
      external_id: "x",
      endpoint: {},
      region_defaults: {},
    })
  ).id;

  health = await import("@/lib/health");
  problems = await import("@/lib/api/problem");
  tokens = await import("@/lib/tokens/service");
  cloudService = await import("@/lib/clouds/service");
  credentialService = await import("@/lib/credentials/issue");
});

after(async () => {
  const { disconnectDatabase } = await import("@/lib/db/client");
  await disconnectDatabase();
  await dbProxy?.close();
  await vaultProxy?.close();
  await kv2?.stop();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

/**
 * What a /v1 request does, minus Next's routing (route modules pull in
 * next-auth, which needs Next's runtime): authenticate the bearer token, call
 * the service, and turn a throw into a problem exactly as lib/api/route.ts does.
 */
async function asApi(path: string, work: () => Promise<unknown>, status = 200) {
  const request = new Request(`http://console.test${path}`);
  try {
    if (!(await tokens.authenticateToken(token))) throw new Error("the test token did not authenticate");
    await work();
    return { status, retryAfter: null, body: {} as Record<string, unknown> };
  } catch (error) {
    const response = problems.problemFromError(request, error);
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
  }
}

const listClouds = () => asApi("/v1/clouds", () => cloudService.listCloudsPage(operator, { limit: 50 }));
const issue = (name: string) =>
  asApi(
    `/v1/clouds/${cloudId}/cloud-credentials`,
    async () =>
      (await credentialService.authorizeIssue(operator, cloudId)).issue({
        displayName: name,
        payload: Buffer.from("s3cr3t"),
        keyValues: {},
        allowUnusualShape: true,
      }),
    201,
  );

async function getHealth() {
  const body = await health.healthReport();
  return { status: body.status === "ok" ? 200 : 503, body };
}

const checkOf = (body: { checks: { name: string; status: string }[] }) => Object.fromEntries(body.checks.map((c) => [c.name, c.status]));

describe("a dependency goes away and comes back", () => {
  test("the database: 503 database_unavailable with Retry-After, health names it, and it recovers without a restart", async () => {
    assert.equal((await getHealth()).status, 200);
    assert.equal((await listClouds()).status, 200);

    await dbProxy.pause();
    const down = await listClouds();
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal(down.body.code, "database_unavailable");
    assert.equal(down.retryAfter, "5");
    assert.doesNotMatch(JSON.stringify(down.body), /ECONN|127\.0\.0\.1|postgres/i, "the problem names no internals");
    const sick = await getHealth();
    assert.equal(sick.status, 503);
    assert.equal(sick.body.status, "down");
    assert.deepEqual(checkOf(sick.body), { database: "down", secrets_engine: "ok" });
    assert.equal((await issue("while the database is down")).body.code, "database_unavailable");

    await dbProxy.resume();
    assert.equal((await getHealth()).status, 200);
    assert.equal((await listClouds()).status, 200);
  });

  test("the secrets engine: issuing is 503 secrets_engine_unavailable with Retry-After, and works again once it is back", async () => {
    assert.equal((await issue("before")).status, 201);

    await vaultProxy.pause();
    const down = await issue("while the engine is down");
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal(down.body.code, "secrets_engine_unavailable");
    assert.equal(down.retryAfter, "5");
    const sick = await getHealth();
    assert.equal(sick.status, 503);
    assert.deepEqual(checkOf(sick.body), { database: "ok", secrets_engine: "down" });
    assert.equal((await listClouds()).status, 200, "what needs no secret keeps working");

    await vaultProxy.resume();
    assert.equal((await getHealth()).status, 200);
    const again = await issue("after");
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });

  test("connections cut mid-flight (a database restart) are a 503 or a success, never a 500", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        if (i === 3) dbProxy.killConnections();
        return (await listClouds()).status;
      }),
    );
    assert.deepEqual(
      statuses.filter((s) => s !== 200 && s !== 503),
      [],
    );
    assert.equal((await listClouds()).status, 200);
  });
});
