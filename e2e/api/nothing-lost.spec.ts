import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { cast, expect, query, test, uniqueSlug, type Target } from "../fixtures";
import { b64, cloudBody, demoCaller, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

/** The target's secrets engine, reached the way an operator with engine access would. */
const engine = {
  async write(target: Target, secretPath: string) {
    if (target.vault) {
      const response = await fetch(`${target.vault.addr}/v1/secret/data/${secretPath}`, {
        method: "POST",
        headers: { "X-Vault-Token": target.vault.token, "content-type": "application/json" },
        body: JSON.stringify({ data: { payload: b64("left behind"), key_values: {} }, options: { cas: 0 } }),
      });
      expect(response.status).toBe(200);
    } else {
      await query(target, "INSERT INTO embedded_secret_versions (path, version, nonce, ciphertext) VALUES ($1, 1, $2, $3)", [
        secretPath,
        randomBytes(12),
        randomBytes(48),
      ]);
    }
  },
  async destroy(target: Target, secretPath: string) {
    if (target.vault) {
      const response = await fetch(`${target.vault.addr}/v1/secret/metadata/${secretPath}`, {
        method: "DELETE",
        headers: { "X-Vault-Token": target.vault.token },
      });
      expect(response.status).toBe(204);
    } else {
      await query(target, "DELETE FROM embedded_secret_versions WHERE path = $1", [secretPath]);
    }
  },
  async paths(target: Target, cloudId: string): Promise<string[]> {
    const prefix = `plexsphere/clouds/${cloudId}/cloud-credentials/`;
    if (target.vault) {
      const response = await fetch(`${target.vault.addr}/v1/secret/metadata/${prefix}?list=true`, {
        headers: { "X-Vault-Token": target.vault.token },
      });
      if (response.status === 404) return [];
      const body = (await response.json()) as { data: { keys: string[] } };
      return body.data.keys.map((k) => `${prefix}${k}`);
    }
    const rows = await query<{ path: string }>(target, "SELECT DISTINCT path FROM embedded_secret_versions WHERE path LIKE $1", [
      `${prefix}%`,
    ]);
    return rows.map((r) => r.path);
  },
};

/**
 * `npm run reconcile` against the target's database and engine, as an operator
 * runs it after a crash. Asynchronously: a blocked event loop would miss the
 * engine closing our idle keep-alive connection, and the next fetch would fail.
 */
async function runReconcileCommand(target: Target): Promise<Record<string, number | boolean>> {
  const dataDir = target.vault
    ? path.join(path.dirname(target.serverLog), "postgres-vault-data")
    : new URL(target.databaseUrl).searchParams.get("host")!;
  const env = {
    ...process.env,
    APP_MODE: "demo",
    DEMO_SEED: "false",
    DATA_DIR: dataDir,
    DATABASE_URL: target.databaseUrl,
    VAULT_ADDR: target.vault?.addr ?? "",
    VAULT_TOKEN: target.vault?.token ?? "",
    // Nothing else is issuing while this spec runs (one worker), so no issue is in flight.
    RECONCILE_GRACE_SECONDS: "0",
  };
  const { status, stdout, stderr } = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile("npm", ["run", "--silent", "reconcile"], { cwd: path.resolve(__dirname, "../.."), env, timeout: 120_000 }, (error, out, err) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
    );
  });
  expect(status, stderr).toBe(0);
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

/**
 * Issue 8, "nothing orphaned, nothing lost", as the built server shows it:
 * errors raised inside the secrets engine keep their meaning after Next has
 * bundled the code, and no key the API accepted goes missing on the way.
 */
test.describe("nothing lost between the API and the secrets engine", () => {
  let operator: Caller;

  test.beforeEach(async ({ playwright, target, request }) => {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    operator = await demoCaller(session, target, cast.operator);
    await session.dispose();
    await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  });

  /**
   * Puts a version 2 into the engine behind the console's back, so the
   * database still says 1 and only the engine's own check-and-set can notice.
   */
  async function writeBehindTheConsolesBack(target: Target, path: string) {
    if (target.vault) {
      const response = await fetch(`${target.vault.addr}/v1/secret/data/${path}`, {
        method: "POST",
        headers: { "X-Vault-Token": target.vault.token, "content-type": "application/json" },
        body: JSON.stringify({ data: { payload: b64("written elsewhere"), key_values: {} }, options: { cas: 1 } }),
      });
      expect(response.status).toBe(200);
    } else {
      // The embedded engine's versions are rows; a version 2 row is what another writer would leave.
      await query(target, "INSERT INTO embedded_secret_versions (path, version, nonce, ciphertext) VALUES ($1, 2, $2, $3)", [
        path,
        randomBytes(12),
        randomBytes(48),
      ]);
    }
  }

  test("a check-and-set conflict raised by the engine itself is 409 credential_cas_conflict, and the row keeps its version", async ({
    request,
    target,
  }) => {
    const h = operator.headers;
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
      "POST /v1/clouds",
      201,
    );
    const issued = await expectConforms(
      await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
        headers: h,
        data: { display_name: "cas", payload: b64("one"), allow_unusual_shape: true },
      }),
      "POST /v1/clouds/{id}/cloud-credentials",
      201,
    );
    await writeBehindTheConsolesBack(target, `plexsphere/clouds/${cloud.id}/cloud-credentials/${issued.id}`);

    const op = "POST /v1/cloud-credentials/{id}/rotate";
    const conflict = await expectConforms(
      await request.post(`/v1/cloud-credentials/${issued.id}/rotate`, {
        headers: h,
        data: { expected_version: 1, payload: b64("two"), allow_unusual_shape: true },
      }),
      op,
      409,
    );
    expect(conflict.code).toBe("credential_cas_conflict");
    const after = await expectConforms(
      await request.get(`/v1/cloud-credentials/${issued.id}`, { headers: h }),
      "GET /v1/cloud-credentials/{id}",
      200,
    );
    expect(after.version).toBe(1);
  });

  for (const reserved of ["__proto__", "constructor", "prototype"]) {
    test(`a key-value named ${reserved} is refused with 400, never accepted and dropped`, async ({ request, target }) => {
      const h = { ...operator.headers, "content-type": "application/json" };
      const cloud = await expectConforms(
        await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
        "POST /v1/clouds",
        201,
      );
      const before = await query<{ n: string }>(target, "SELECT count(*)::text AS n FROM cloud_credentials WHERE cloud_id = $1", [
        cloud.id,
      ]);
      // A literal JSON text: a JS object literal would turn "__proto__" into a prototype before it was sent.
      const body = `{"display_name":"reserved","payload":"${b64("one")}","allow_unusual_shape":true,"key_values":{"${reserved}":"kept?","region":"eu"}}`;
      const refused = await expectConforms(
        await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: h, data: body }),
        "POST /v1/clouds/{id}/cloud-credentials",
        400,
      );
      expect(refused.code).toBe("invalid_body");
      expect(refused.detail).toContain("key_values");
      const after = await query<{ n: string }>(target, "SELECT count(*)::text AS n FROM cloud_credentials WHERE cloud_id = $1", [cloud.id]);
      expect(after[0].n).toBe(before[0].n);

      const issued = await expectConforms(
        await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
          headers: h,
          data: { display_name: "ok", payload: b64("one"), allow_unusual_shape: true },
        }),
        "POST /v1/clouds/{id}/cloud-credentials",
        201,
      );
      const rotateBody = `{"expected_version":1,"payload":"${b64("two")}","allow_unusual_shape":true,"key_values":{"${reserved}":"kept?"}}`;
      const rotateRefused = await expectConforms(
        await request.post(`/v1/cloud-credentials/${issued.id}/rotate`, { headers: h, data: rotateBody }),
        "POST /v1/cloud-credentials/{id}/rotate",
        400,
      );
      expect(rotateRefused.code).toBe("invalid_body");

      const slug = uniqueSlug();
      const cloudJson = JSON.stringify(cloudBody(slug, { endpoint: {} })).replace(
        '"endpoint":{}',
        `"endpoint":{"${reserved}":"https://x.example"}`,
      );
      const cloudRefused = await expectConforms(await request.post("/v1/clouds", { headers: h, data: cloudJson }), "POST /v1/clouds", 400);
      expect(["invalid_body", "invalid_cloud_endpoint"]).toContain(cloudRefused.code);
      expect(await query(target, "SELECT id FROM clouds WHERE slug = $1", [slug])).toHaveLength(0);

      const patchJson = `{"endpoint":{"${reserved}":"https://x.example"}}`;
      const patchRefused = await expectConforms(
        await request.patch(`/v1/clouds/${cloud.id}`, { headers: h, data: patchJson }),
        "PATCH /v1/clouds/{id}",
        400,
      );
      expect(["invalid_body", "invalid_cloud_endpoint"]).toContain(patchRefused.code);
    });
  }

  test("npm run reconcile destroys a secret left without a row and marks a row whose secret is gone", async ({ request, target }) => {
    // The command starts its own Node with tsx and applies migrations first.
    test.setTimeout(180_000);
    const h = operator.headers;
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
      "POST /v1/clouds",
      201,
    );
    const issued = await expectConforms(
      await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
        headers: h,
        data: { display_name: "kept", payload: b64("one"), allow_unusual_shape: true },
      }),
      "POST /v1/clouds/{id}/cloud-credentials",
      201,
    );
    const lost = await expectConforms(
      await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
        headers: h,
        data: { display_name: "lost", payload: b64("one"), allow_unusual_shape: true },
      }),
      "POST /v1/clouds/{id}/cloud-credentials",
      201,
    );
    const prefix = `plexsphere/clouds/${cloud.id}/cloud-credentials/`;
    const orphan = `${prefix}${randomUUID()}`;
    await engine.write(target, orphan);
    await engine.destroy(target, `${prefix}${lost.id}`);
    expect((await engine.paths(target, cloud.id)).sort()).toEqual([`${prefix}${issued.id}`, orphan].sort());

    const report = await runReconcileCommand(target);
    expect(report).toMatchObject({ busy: false, grace_seconds: 0 });
    expect(report.orphans_destroyed).toBeGreaterThanOrEqual(1);
    expect(report.secrets_missing).toBeGreaterThanOrEqual(1);

    expect(await engine.paths(target, cloud.id)).toEqual([`${prefix}${issued.id}`]);
    const marked = await expectConforms(
      await request.get(`/v1/cloud-credentials/${lost.id}`, { headers: h }),
      "GET /v1/cloud-credentials/{id}",
      200,
    );
    expect(marked.status).toBe("active");
    expect(typeof marked.secret_missing_at).toBe("string");
    const untouched = await expectConforms(
      await request.get(`/v1/cloud-credentials/${issued.id}`, { headers: h }),
      "GET /v1/cloud-credentials/{id}",
      200,
    );
    expect(untouched.secret_missing_at).toBeUndefined();
    const audit = await query<{ action: string; actor_id: string | null }>(
      target,
      "SELECT action, actor_id FROM audit_entries WHERE cloud_id = $1 AND action LIKE 'credential.%' AND actor_id IS NULL ORDER BY at",
      [cloud.id],
    );
    expect(audit.map((a) => a.action).sort()).toEqual(["credential.orphan_destroyed", "credential.secret_missing"]);
  });
});
