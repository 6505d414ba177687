import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { startKv2Double, type Kv2Double } from "@/testing/kv2-double";

/**
 * The console on AppRole (VAULT_ROLE_ID + VAULT_SECRET_ID_FILE), as a caller
 * of the API sees it: a token that expired under it costs nothing (one
 * re-login and retry), a login the engine refuses is a 503
 * secrets_engine_unavailable with Retry-After (never a 500), and fixing the
 * secret-id file heals it without a restart. Needs PostgreSQL, as
 * unavailable.test.ts beside it.
 */
const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `plexsphere_vault_login_${randomBytes(6).toString("hex")}`;
const ROLE_ID = `role-${randomUUID()}`;
const SECRET_ID = `secret-id-${randomUUID()}`;
const secretIdFile = path.join(mkdtempSync(path.join(tmpdir(), "vault-login-")), "secret-id");

let kv2: Kv2Double;
let admin: pg.Client;
let cloudId: string;
let operator: { id: string };
let problems: typeof import("@/lib/api/problem");
let health: typeof import("@/lib/health");
let credentialService: typeof import("@/lib/credentials/issue");

before(async () => {
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  kv2 = await startKv2Double({ port: 0, auth: { approle: { roleId: ROLE_ID, secretId: SECRET_ID } } });
  writeFileSync(secretIdFile, `${SECRET_ID}\n`);
  // lib/env.ts reads the environment once, on first use, which is after this.
  Object.assign(process.env, {
    VAULT_ADDR: kv2.url,
    VAULT_TOKEN: "",
    VAULT_ROLE_ID: ROLE_ID,
    VAULT_SECRET_ID_FILE: secretIdFile,
    DATABASE_URL: "",
  });

  const url = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  const { migrate } = await import("@/lib/db/migrate");
  await migrate(url);
  const { connectDatabase } = await import("@/lib/db/client");
  const client = connectDatabase(url, { embedded: false });
  const { grant } = await import("@/lib/authz/service");
  const { PLATFORM_ID } = await import("@/lib/authz/schema");
  const { createCloud } = await import("@/lib/clouds/service");
  operator = { id: randomUUID() };
  await client.user.create({
    data: { id: operator.id, email: `op-${operator.id}@test.example`, displayName: "Operator", passwordHash: "x" },
  });
  await grant(client, { type: "platform", id: PLATFORM_ID }, "manage", operator.id);
  cloudId = (
    await createCloud(operator, {
      display_name: "Vault login",
      slug: `vault-login-${randomUUID().slice(0, 8)}`,
      provider: "aws",
      external_id: "x",
      endpoint: {},
      region_defaults: {},
    })
  ).id;
  problems = await import("@/lib/api/problem");
  health = await import("@/lib/health");
  credentialService = await import("@/lib/credentials/issue");
});

after(async () => {
  ((await (await import("@/lib/vault")).secretStore()) as { stop?: () => void }).stop?.();
  const { disconnectDatabase } = await import("@/lib/db/client");
  await disconnectDatabase();
  await kv2?.stop();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

/** Issuing a credential as POST /v1/clouds/{id}/cloud-credentials does, a throw turned into a problem as lib/api/route.ts does. */
async function issue(name: string) {
  const request = new Request(`http://console.test/v1/clouds/${cloudId}/cloud-credentials`, { method: "POST" });
  try {
    await (await credentialService.authorizeIssue(operator, cloudId)).issue({
      displayName: name,
      payload: Buffer.from("s3cr3t"),
      keyValues: {},
      allowUnusualShape: true,
    });
    return { status: 201, retryAfter: null, body: {} as Record<string, unknown> };
  } catch (error) {
    const response = problems.problemFromError(request, error);
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
  }
}

describe("the console on AppRole", () => {
  test("issuing logs in once; a token that expired is replaced on the fly and the caller sees a 201", async () => {
    assert.equal((await issue("first")).status, 201);
    assert.deepEqual(kv2.logins(), [{ method: "approle", live: true }]);
    kv2.expireTokens();
    const again = await issue("after the token expired");
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(kv2.logins().length, 2);
  });

  test("a login the engine refuses is 503 secrets_engine_unavailable with Retry-After, and heals once the secret id is right", async () => {
    writeFileSync(secretIdFile, "a-secret-id-vault-no-longer-knows");
    kv2.expireTokens();
    const down = await issue("while the login is refused");
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal(down.body.code, "secrets_engine_unavailable");
    assert.equal(down.retryAfter, "5");
    assert.doesNotMatch(JSON.stringify(down.body), /secret-id|approle|hvs\./i, "the problem names no internals");
    assert.equal((await health.healthReport()).status, "down");

    writeFileSync(secretIdFile, SECRET_ID);
    const healed = await issue("after the fix");
    assert.equal(healed.status, 201, JSON.stringify(healed.body));
    assert.equal((await health.healthReport()).status, "ok");
  });
});
