import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { startKv2Double, type Kv2Double, type Kv2DoubleAuth } from "@/testing/kv2-double";
import { startTcpProxy, type TcpProxy } from "@/testing/tcp-proxy";
import type { VaultLogin } from "./auth";
import { VaultSecretStore } from "./node-vault";
import { isSecretStoreUnavailable, type SecretMaterial } from "./store";

/**
 * The vault driver's logins against the KV-v2 double's auth endpoints
 * (testing/kv2-double.ts): AppRole (secret id given or in a file), the
 * Kubernetes stand-in, renewal before the TTL runs out, a new login at the
 * max TTL, and one re-login and retry when a token is refused. TTLs are a
 * few seconds; tests poll for what they wait on, never sleep a fixed time.
 */
const doubles: Kv2Double[] = [];
const stores: VaultSecretStore[] = [];
const proxies: TcpProxy[] = [];
after(async () => {
  for (const store of stores) store.stop();
  await Promise.all([...doubles.map((d) => d.stop()), ...proxies.map((p) => p.close())]);
});

const ROLE_ID = `role-${randomUUID()}`;
const SECRET_ID = `secret-id-${randomUUID()}`;
const JWT = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(24).toString("base64url")}.sig`;
const dir = mkdtempSync(path.join(tmpdir(), "vault-auth-"));

async function double(auth: Omit<Kv2DoubleAuth, "approle" | "kubernetesStandIn"> & Partial<Kv2DoubleAuth> = {}) {
  const started = await startKv2Double({
    mount: "secret",
    auth: { approle: { roleId: ROLE_ID, secretId: SECRET_ID }, kubernetesStandIn: { role: "plexsphere", jwt: JWT }, ...auth },
  });
  doubles.push(started);
  return started;
}

function store(addr: string, login: VaultLogin): VaultSecretStore {
  const created = new VaultSecretStore({ addr, mount: "secret", login, requestTimeoutMs: 2_000 });
  stores.push(created);
  return created;
}

const approle = (overrides: Partial<Extract<VaultLogin, { method: "approle" }>> = {}): VaultLogin => ({
  method: "approle",
  mount: "approle",
  roleId: ROLE_ID,
  secretId: SECRET_ID,
  ...overrides,
});

const material = (text: string): SecretMaterial => ({ payload: new TextEncoder().encode(text), keyValues: { k: text } });
const pathFor = () => `plexsphere/tests/auth/${randomUUID()}`;

async function roundTrip(s: VaultSecretStore) {
  const p = pathFor();
  await s.create(p, material(p));
  const read = await s.read(p);
  assert.equal(new TextDecoder().decode(read?.payload), p);
}

/** Polls `condition` every 25 ms until it holds, or fails after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const count = (d: Kv2Double, p: string) => d.requests.filter((r) => r.path === p).length;

/** Everything the process prints while `fn` runs. */
async function printed(fn: () => Promise<void>): Promise<string> {
  let text = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (
    (text += String(chunk)), out(chunk, ...rest)
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (
    (text += String(chunk)), err(chunk, ...rest)
  )) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return text;
}

describe("VaultSecretStore logins", () => {
  test("AppRole: the first request logs in, the KV-v2 requests carry the login's token, one login serves many requests", async () => {
    const d = await double();
    const s = store(d.url, approle());
    await Promise.all([roundTrip(s), roundTrip(s), roundTrip(s)]);
    assert.deepEqual(d.logins(), [{ method: "approle", live: true }]);
    assert.equal(count(d, "/v1/auth/approle/login"), 1);
  });

  test("a VAULT_TOKEN left in the process environment is not used in its place: node-vault's fallback to it is cut", async () => {
    const d = await double();
    const saved = process.env.VAULT_TOKEN;
    process.env.VAULT_TOKEN = d.token;
    try {
      const s = store(d.url, approle());
      await roundTrip(s);
    } finally {
      if (saved === undefined) delete process.env.VAULT_TOKEN;
      else process.env.VAULT_TOKEN = saved;
    }
    assert.equal(d.logins().length, 1);
  });

  test("AppRole with the secret id in a file (a trailing newline is not part of it), read again at each login", async () => {
    const d = await double();
    const file = path.join(dir, `secret-id-${randomUUID()}`);
    writeFileSync(file, `${SECRET_ID}\n`);
    const s = store(d.url, approle({ secretId: undefined, secretIdFile: file }));
    await roundTrip(s);
    // The secret id rotated in the file: the next login uses the new content.
    writeFileSync(file, "rotated-elsewhere\n");
    d.expireTokens();
    await assert.rejects(s.read(pathFor()), (error) => isSecretStoreUnavailable(error) && error.code === "secrets_engine_unavailable");
    writeFileSync(file, SECRET_ID);
    await roundTrip(s);
    assert.equal(d.logins().length, 2);
  });

  test("Kubernetes: the service-account JWT file is sent with the role to the configured mount", async () => {
    const d = await startKv2Double({ mount: "secret", auth: { kubernetesStandIn: { mount: "k8s/prod", role: "plexsphere", jwt: JWT } } });
    doubles.push(d);
    const file = path.join(dir, `token-${randomUUID()}`);
    writeFileSync(file, JWT);
    const s = store(d.url, { method: "kubernetes", mount: "k8s/prod", role: "plexsphere", jwtFile: file });
    await roundTrip(s);
    assert.deepEqual(d.logins(), [{ method: "kubernetes", live: true }]);
    assert.equal(count(d, "/v1/auth/k8s/prod/login"), 1);
  });

  test("a token is renewed (renew-self) before its TTL runs out, without a new login", async () => {
    const d = await double({ ttlSeconds: 3 });
    const s = store(d.url, approle());
    await roundTrip(s);
    await until(() => count(d, "/v1/auth/token/renew-self") >= 2, "two renewals");
    // Two renewals at 2/3 of a 3 s lease: past the first token's original TTL, on the same login.
    assert.deepEqual(d.logins(), [{ method: "approle", live: true }]);
    await roundTrip(s);
    assert.equal(d.logins().length, 1);
  });

  test("at the max TTL the driver logs in again before the token expires, and requests keep working across several tokens", async () => {
    const d = await double({ ttlSeconds: 2, maxTtlSeconds: 3 });
    const s = store(d.url, approle());
    const failures: unknown[] = [];
    let requests = 0;
    await roundTrip(s);
    await until(() => {
      // A long-running server: requests keep coming while the tokens turn over.
      void roundTrip(s).then(
        () => void requests++,
        (error: unknown) => void failures.push(error),
      );
      return d.logins().length >= 3;
    }, "three logins");
    await roundTrip(s);
    assert.deepEqual(failures, []);
    assert.ok(requests > 10);
    assert.ok(count(d, "/v1/auth/token/renew-self") >= 2);
  });

  test("a token refused with 403 (expired, revoked) costs one re-login and one retry, and the request succeeds", async () => {
    const d = await double();
    const s = store(d.url, approle());
    const p = pathFor();
    await s.create(p, material("before"));
    d.expireTokens();
    const readsBefore = count(d, `/v1/secret/data/${p}`);
    assert.equal(new TextDecoder().decode((await s.read(p))?.payload), "before");
    assert.equal(count(d, `/v1/secret/data/${p}`) - readsBefore, 2);
    assert.equal(d.logins().length, 2);
  });

  test("many requests refused at once share one re-login", async () => {
    const d = await double();
    const s = store(d.url, approle());
    await roundTrip(s);
    d.expireTokens();
    await Promise.all(Array.from({ length: 12 }, () => roundTrip(s)));
    assert.equal(d.logins().length, 2);
  });

  test("a retry that is refused again is not retried again: a 503-worthy outage, not a loop", async () => {
    // Every token the double hands out is dead on arrival.
    const d = await double({ ttlSeconds: 0 });
    const s = store(d.url, approle());
    await assert.rejects(s.read(pathFor()), (error) => isSecretStoreUnavailable(error) && error.code === "secrets_engine_unavailable");
    assert.equal(d.logins().length, 2);
  });

  test("a login that fails (wrong secret id, wrong JWT) is secrets_engine_unavailable (a 503), and names no secret", async () => {
    const d = await double();
    const file = path.join(dir, `token-${randomUUID()}`);
    writeFileSync(file, "not-the-jwt");
    for (const login of [
      approle({ secretId: "wrong-secret-id" }),
      { method: "kubernetes", mount: "kubernetes", role: "plexsphere", jwtFile: file } as const,
    ]) {
      const s = store(d.url, login);
      const output = await printed(async () => {
        const error = await s.read(pathFor()).then(
          () => assert.fail("the read should fail"),
          (e: unknown) => e,
        );
        assert.ok(isSecretStoreUnavailable(error));
        assert.equal(error.code, "secrets_engine_unavailable");
        assert.match(error.message, /login failed with HTTP (400|403)/);
        for (const secret of ["wrong-secret-id", "not-the-jwt", ROLE_ID]) assert.equal(error.message.includes(secret), false);
      });
      for (const secret of ["wrong-secret-id", "not-the-jwt", SECRET_ID, JWT]) assert.equal(output.includes(secret), false);
    }
    assert.deepEqual(d.logins(), []);
  });

  test("no login, renewal or token ever appears in the logs", async () => {
    const d = await double({ ttlSeconds: 1, maxTtlSeconds: 2 });
    const s = store(d.url, approle());
    const output = await printed(async () => {
      await roundTrip(s);
      await until(() => d.logins().length >= 2, "a second login");
      await roundTrip(s);
    });
    assert.match(output, /"event":"vault.login"/);
    assert.match(output, /"event":"vault.renewed"/);
    for (const secret of [SECRET_ID, ROLE_ID, JWT, "hvs."]) assert.equal(output.includes(secret), false, `the logs name ${secret}`);
  });

  test("the engine down at login is a 503, and the driver logs in by itself once it is back (no restart)", async () => {
    const d = await double();
    const target = new URL(d.url);
    const proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port) });
    proxies.push(proxy);
    const s = store(`http://127.0.0.1:${proxy.port}`, approle());
    await proxy.pause();
    await assert.rejects(roundTrip(s), (error) => isSecretStoreUnavailable(error) && error.code === "secrets_engine_unavailable");
    await proxy.resume();
    await roundTrip(s);
    assert.equal(d.logins().length, 1);
  });
});
