import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { startKv2Double, type Kv2Double, type Kv2DoubleAuth } from "./kv2-double";

/**
 * The double's auth endpoints and token lifetimes, through plain fetch, in
 * the shapes Vault and OpenBao answer: `auth.client_token`,
 * `auth.lease_duration`, `auth.renewable` on a login and on renew-self,
 * `data.ttl` on lookup-self, and 403 `permission denied` for a token past
 * its TTL.
 */
const started: Kv2Double[] = [];
after(() => Promise.all(started.map((d) => d.stop())));

async function double(auth: Partial<Kv2DoubleAuth> = {}) {
  const d = await startKv2Double({
    token: "root-token",
    auth: { approle: { roleId: "role-1", secretId: "secret-1" }, kubernetesStandIn: { role: "console", jwt: "jwt-1" }, ...auth },
  });
  started.push(d);
  return d;
}

async function call(d: Kv2Double, method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(`${d.url}/v1/${path}`, {
    method,
    headers: {
      ...(options.token ? { "X-Vault-Token": options.token } : {}),
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

const appRoleLogin = (d: Kv2Double, secretId = "secret-1", token?: string) =>
  call(d, "POST", "auth/approle/login", { token, body: { role_id: "role-1", secret_id: secretId } });

describe("KV-v2 double: logins and token lifetimes", () => {
  test("AppRole login answers Vault's auth block, and its token reads and writes; a wrong secret id is 400", async () => {
    const d = await double({ ttlSeconds: 120 });
    const login = await appRoleLogin(d);
    assert.equal(login.status, 200);
    assert.equal(login.body.data, null);
    const auth = login.body.auth;
    assert.match(auth.client_token, /^hvs\.[A-Za-z0-9_-]{20,}$/);
    assert.equal(auth.lease_duration, 120);
    assert.equal(auth.renewable, true);
    assert.deepEqual(auth.policies, ["default", "plexsphere"]);
    assert.equal(typeof auth.accessor, "string");
    const written = await call(d, "POST", "secret/data/a", { token: auth.client_token, body: { data: { k: "v" } } });
    assert.equal(written.status, 200);
    assert.deepEqual((await call(d, "GET", "secret/data/a", { token: auth.client_token })).body.data.data, { k: "v" });

    const wrong = await appRoleLogin(d, "secret-2");
    assert.deepEqual([wrong.status, wrong.body], [400, { errors: ["invalid role or secret ID"] }]);
    assert.deepEqual(d.logins(), [{ method: "approle", live: true }]);
  });

  test("a login takes no token: a stale one sent along does not stop it", async () => {
    const d = await double();
    assert.equal((await appRoleLogin(d, "secret-1", "expired-token")).status, 200);
  });

  test("the Kubernetes stand-in compares the JWT with the configured one: another JWT is 403, another role 400", async () => {
    const d = await double();
    const ok = await call(d, "POST", "auth/kubernetes/login", { body: { role: "console", jwt: "jwt-1" } });
    assert.equal(ok.status, 200);
    assert.equal(typeof ok.body.auth.client_token, "string");
    const badJwt = await call(d, "POST", "auth/kubernetes/login", { body: { role: "console", jwt: "jwt-2" } });
    assert.deepEqual([badJwt.status, badJwt.body], [403, { errors: ["permission denied"] }]);
    const badRole = await call(d, "POST", "auth/kubernetes/login", { body: { role: "other", jwt: "jwt-1" } });
    assert.deepEqual([badRole.status, badRole.body], [400, { errors: ['invalid role name "other"'] }]);
    assert.equal((await call(d, "POST", "auth/other/login", { body: {} })).status, 404);
  });

  test("renew-self gives the TTL again, capped by the max TTL with Vault's warning; lookup-self tells the TTL", async () => {
    const d = await double({ ttlSeconds: 60, maxTtlSeconds: 60 });
    const token = (await appRoleLogin(d)).body.auth.client_token as string;
    const lookup = await call(d, "GET", "auth/token/lookup-self", { token });
    assert.equal(lookup.status, 200);
    assert.ok(lookup.body.data.ttl > 0 && lookup.body.data.ttl <= 60);
    assert.equal(lookup.body.data.renewable, true);
    assert.equal(lookup.body.data.explicit_max_ttl, 60);
    const renewed = await call(d, "POST", "auth/token/renew-self", { token, body: {} });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.body.auth.client_token, token);
    assert.equal(renewed.body.auth.renewable, true);
    assert.ok(renewed.body.auth.lease_duration <= 60);
    assert.match(renewed.body.warnings[0], /capped/);

    const uncapped = await double({ ttlSeconds: 60 });
    const other = (await appRoleLogin(uncapped)).body.auth.client_token as string;
    const again = await call(uncapped, "POST", "auth/token/renew-self", { token: other, body: {} });
    assert.deepEqual([again.body.auth.lease_duration, again.body.warnings], [60, null]);
  });

  test("a token past its TTL is refused with 403 permission denied everywhere, renew-self included", async () => {
    const d = await double();
    const token = (await appRoleLogin(d)).body.auth.client_token as string;
    d.expireTokens();
    for (const [method, path] of [
      ["GET", "secret/data/a"],
      ["POST", "auth/token/renew-self"],
      ["GET", "auth/token/lookup-self"],
    ]) {
      const answer = await call(d, method, path, { token });
      assert.deepEqual([answer.status, answer.body], [403, { errors: ["permission denied"] }], path);
    }
    assert.deepEqual(d.logins(), [{ method: "approle", live: false }]);
    // The root token does not expire, and cannot be renewed.
    assert.equal((await call(d, "GET", "auth/token/lookup-self", { token: "root-token" })).body.data.ttl, 0);
    assert.deepEqual((await call(d, "POST", "auth/token/renew-self", { token: "root-token" })).body, {
      errors: ["lease is not renewable"],
    });
  });

  test("a token with a TTL of 0 s is dead on arrival; a non-renewable one cannot be renewed", async () => {
    const dead = await double({ ttlSeconds: 0 });
    const token = (await appRoleLogin(dead)).body.auth.client_token as string;
    assert.equal((await call(dead, "GET", "secret/data/a", { token })).status, 403);
    const fixed = await double({ renewable: false });
    const other = (await appRoleLogin(fixed)).body.auth;
    assert.equal(other.renewable, false);
    const renewed = await call(fixed, "POST", "auth/token/renew-self", { token: other.client_token });
    assert.deepEqual([renewed.status, renewed.body], [400, { errors: ["lease is not renewable"] }]);
  });

  test("without `auth` there are no logins: the login paths need the root token and have no handler", async () => {
    const d = await startKv2Double({ token: "root-token" });
    started.push(d);
    assert.equal((await call(d, "POST", "auth/approle/login", { body: { role_id: "r", secret_id: "s" } })).status, 403);
    assert.equal((await call(d, "POST", "auth/approle/login", { token: "root-token", body: {} })).status, 404);
  });
});
