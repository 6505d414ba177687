import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { closeTestDatabase, testDatabase } from "@/testing/database";
import { startKv2Double, type Kv2Double } from "@/testing/kv2-double";
import { EmbeddedSecretStore } from "./embedded";
import { VaultSecretStore } from "./node-vault";
import { SecretStoreUnavailableError, SecretVersionConflictError, type SecretMaterial, type SecretStore } from "./store";

/**
 * One contract, run for every SecretStore driver: the embedded one on this
 * run's database, and the vault one against the KV-v2 protocol double
 * (testing/kv2-double.ts), with and without a namespace.
 */
const doubles: Kv2Double[] = [];
const servers: { close: () => Promise<void> }[] = [];
after(async () => {
  await Promise.all([...doubles.map((d) => d.stop()), ...servers.map((s) => s.close())]);
  await closeTestDatabase();
});

async function kv2Double(options: { token?: string } = {}) {
  const double = await startKv2Double({ mount: "secret", ...options });
  doubles.push(double);
  return double;
}

/** A bare HTTP server on loopback standing in for what may sit at VAULT_ADDR; closed after the file's tests. */
async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>) {
  const server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const handle = {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(handle);
  return handle;
}

const uniquePath = (label = "contract") => `plexsphere/tests/${label}/${randomUUID()}`;

function material(text: string, keyValues: Record<string, string> = {}): SecretMaterial {
  return { payload: new Uint8Array(Buffer.from(text, "utf8")), keyValues };
}

function assertSameMaterial(actual: SecretMaterial | null, expected: SecretMaterial) {
  assert.ok(actual, "expected stored material, got null");
  assert.ok(actual.payload instanceof Uint8Array);
  assert.deepEqual(Buffer.from(actual.payload), Buffer.from(expected.payload));
  assert.deepEqual(actual.keyValues, expected.keyValues);
}

export function secretStoreContract(name: string, makeStore: () => SecretStore | Promise<SecretStore>) {
  describe(`SecretStore contract: ${name}`, () => {
    let store: SecretStore;
    before(async () => {
      store = await makeStore();
    });

    test("create writes version 1 and read returns identical payload bytes and key-values", async () => {
      const path = uniquePath();
      const written: SecretMaterial = {
        payload: new Uint8Array([0, 255, 128, 0xc3, 0x28, 10, 13]),
        keyValues: { region: "eu-west-1", "note ünïcödé": "✓ ok", empty: "" },
      };
      assert.deepEqual(await store.create(path, written), { version: 1 });
      assertSameMaterial(await store.read(path), written);
      assertSameMaterial(await store.read(path, 1), written);

      const emptyPath = uniquePath();
      const empty: SecretMaterial = { payload: new Uint8Array(0), keyValues: {} };
      assert.deepEqual(await store.create(emptyPath, empty), { version: 1 });
      assertSameMaterial(await store.read(emptyPath), empty);
    });

    test("create on an existing path throws SecretVersionConflictError (cas 0)", async () => {
      const path = uniquePath();
      const original = material("original");
      await store.create(path, original);
      await assert.rejects(store.create(path, material("intruder")), SecretVersionConflictError);
      assertSameMaterial(await store.read(path), original);
    });

    test("update with the expected version writes version 2; older versions stay readable", async () => {
      const path = uniquePath();
      const v1 = material("first", { k: "1" });
      const v2 = material("second", { k: "2", extra: "x" });
      await store.create(path, v1);
      assert.deepEqual(await store.update(path, v2, 1), { version: 2 });
      assertSameMaterial(await store.read(path), v2);
      assertSameMaterial(await store.read(path, 2), v2);
      assertSameMaterial(await store.read(path, 1), v1);
    });

    test("update with a stale expected version throws SecretVersionConflictError and changes nothing", async () => {
      const path = uniquePath();
      const v1 = material("first");
      const v2 = material("second");
      await store.create(path, v1);
      await store.update(path, v2, 1);
      await assert.rejects(store.update(path, material("stale"), 1), SecretVersionConflictError);
      await assert.rejects(store.update(path, material("ahead"), 5), SecretVersionConflictError);
      assertSameMaterial(await store.read(path), v2);
      assertSameMaterial(await store.read(path, 1), v1);
      assert.equal(await store.read(path, 3), null);
      // The conflict wrote nothing: the next version is still 3.
      assert.deepEqual(await store.update(path, material("third"), 2), { version: 3 });
    });

    test("update of a missing path throws SecretVersionConflictError", async () => {
      await assert.rejects(store.update(uniquePath(), material("x"), 1), SecretVersionConflictError);
    });

    test("read of a missing path, or a missing version, returns null", async () => {
      assert.equal(await store.read(uniquePath()), null);
      assert.equal(await store.read(uniquePath(), 1), null);
      const path = uniquePath();
      await store.create(path, material("only"));
      assert.equal(await store.read(path, 2), null);
    });

    test("softDelete hides the latest version but an older version stays readable", async () => {
      const path = uniquePath();
      const v1 = material("first", { k: "1" });
      await store.create(path, v1);
      await store.update(path, material("second"), 1);
      await store.softDelete(path);
      assert.equal(await store.read(path), null);
      assert.equal(await store.read(path, 2), null);
      assertSameMaterial(await store.read(path, 1), v1);
      // A second soft delete is a no-op: it does not reach back to version 1.
      await store.softDelete(path);
      assertSameMaterial(await store.read(path, 1), v1);
      // The deleted version still occupies its number.
      await assert.rejects(store.create(path, material("again")), SecretVersionConflictError);
    });

    test("destroy removes every version, and a create at the same path then writes version 1", async () => {
      const path = uniquePath();
      await store.create(path, material("first"));
      await store.update(path, material("second"), 1);
      await store.update(path, material("third"), 2);
      await store.softDelete(path);
      await store.destroy(path);
      for (const version of [undefined, 1, 2, 3]) assert.equal(await store.read(path, version), null, `version ${version}`);
      const fresh = material("fresh", { k: "new" });
      assert.deepEqual(await store.create(path, fresh), { version: 1 });
      assertSameMaterial(await store.read(path), fresh);
      assert.equal(await store.read(path, 2), null);
    });

    test("destroy and softDelete of a missing path do not throw", async () => {
      const path = uniquePath();
      await store.softDelete(path);
      await store.destroy(path);
      await store.destroy(path);
      assert.equal(await store.read(path), null);
    });

    test("paths are independent of each other", async () => {
      const parent = uniquePath();
      const a = material("a");
      const b = material("b");
      await store.create(parent, a);
      await store.create(`${parent}/child`, b);
      await store.destroy(`${parent}/child`);
      assertSameMaterial(await store.read(parent), a);
      assert.equal(await store.read(`${parent}/child`), null);
    });

    test("list names every secret under a folder at any depth, when it was created, and whether its latest version is readable", async () => {
      const folder = `${uniquePath("list")}/`;
      const started = Date.now();
      await store.create(`${folder}a`, material("a"));
      await store.create(`${folder}nested/b`, material("b"));
      await store.create(`${folder}nested/deeper/c`, material("c"));
      await store.update(`${folder}nested/deeper/c`, material("c2"), 1);
      await store.create(`${folder}gone`, material("gone"));
      await store.destroy(`${folder}gone`);
      await store.softDelete(`${folder}nested/b`);
      await store.create(`${folder.slice(0, -1)}-sibling`, material("outside the folder"));

      const listed = (await store.list(folder)).sort((x, y) => x.path.localeCompare(y.path));
      assert.deepEqual(
        listed.map((s) => [s.path, s.live]),
        [
          [`${folder}a`, true],
          [`${folder}nested/b`, false],
          [`${folder}nested/deeper/c`, true],
        ],
      );
      for (const secret of listed) {
        assert.ok(Math.abs(secret.createdAt.getTime() - started) < 60_000, `${secret.path} created ${secret.createdAt.toISOString()}`);
      }
      assert.deepEqual(await store.list(`${uniquePath("empty")}/`), []);
    });
  });
}

// --- the drivers ------------------------------------------------------------

secretStoreContract("embedded", async () => new EmbeddedSecretStore(await testDatabase(), randomBytes(32)));

secretStoreContract("vault (KV-v2 double)", async () => {
  const double = await kv2Double();
  return new VaultSecretStore({ addr: double.url, token: double.token, mount: double.mount });
});

secretStoreContract("vault (KV-v2 double, namespace)", async () => {
  const double = await kv2Double();
  return new VaultSecretStore({ addr: double.url, token: double.token, mount: double.mount, namespace: "plexsphere/team-a" });
});

secretStoreContract("vault (KV-v2 double, AppRole login)", async () => {
  const auth = { approle: { roleId: randomUUID(), secretId: randomBytes(16).toString("hex") } };
  const double = await startKv2Double({ mount: "secret", auth });
  doubles.push(double);
  // The root token is never given: every request rides on the token the login handed out.
  return new VaultSecretStore({ addr: double.url, mount: double.mount, login: { method: "approle", mount: "approle", ...auth.approle } });
});

// --- driver-specific --------------------------------------------------------

describe("EmbeddedSecretStore at rest", () => {
  const marker = () => `PLAINTEXT-${randomUUID()}`;

  test("the stored row holds neither the payload (raw or base64) nor a key-value", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const path = uniquePath("embedded");
    const payloadText = marker();
    const keyValue = marker();
    await store.create(path, material(payloadText, { access_key: keyValue }));

    const row = await db.embeddedSecretVersion.findUnique({ where: { path_version: { path, version: 1 } } });
    assert.ok(row);
    const stored = Buffer.concat([Buffer.from(row.ciphertext), Buffer.from(row.nonce)]);
    for (const needle of [payloadText, Buffer.from(payloadText).toString("base64"), keyValue, "access_key", "payload", "key_values"]) {
      assert.equal(stored.includes(Buffer.from(needle)), false, `row holds ${needle}`);
    }
    assert.equal(row.nonce.length, 12);
    // Sanity: the marker really is in what the store decrypts.
    assert.equal(Buffer.from((await store.read(path))!.payload).toString(), payloadText);
  });

  test("a ciphertext copied onto another path's row fails to decrypt: the path is bound as additional data", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const victim = uniquePath("embedded");
    const other = uniquePath("embedded");
    await store.create(victim, material("victim's secret"));
    await store.create(other, material("other secret"));

    const source = await db.embeddedSecretVersion.findUniqueOrThrow({ where: { path_version: { path: victim, version: 1 } } });
    await db.embeddedSecretVersion.update({
      where: { path_version: { path: other, version: 1 } },
      data: { nonce: source.nonce, ciphertext: source.ciphertext },
    });
    await assert.rejects(store.read(other), SecretStoreUnavailableError);
    await assert.rejects(store.read(other, 1), SecretStoreUnavailableError);
    assertSameMaterial(await store.read(victim), material("victim's secret"));
  });

  test("two stores with different keys cannot read each other's rows", async () => {
    const db = await testDatabase();
    const one = new EmbeddedSecretStore(db, randomBytes(32));
    const two = new EmbeddedSecretStore(db, randomBytes(32));
    const pathOne = uniquePath("embedded");
    const pathTwo = uniquePath("embedded");
    await one.create(pathOne, material("one's"));
    await two.create(pathTwo, material("two's"));
    await assert.rejects(two.read(pathOne), SecretStoreUnavailableError);
    await assert.rejects(one.read(pathTwo), SecretStoreUnavailableError);
    assertSameMaterial(await one.read(pathOne), material("one's"));
    assertSameMaterial(await two.read(pathTwo), material("two's"));
  });

  test("the key must be 32 bytes", async () => {
    const db = await testDatabase();
    assert.throws(() => new EmbeddedSecretStore(db, randomBytes(16)), /32-byte key/);
  });
});

describe("VaultSecretStore against the KV-v2 double", () => {
  test("an unreachable VAULT_ADDR is SecretStoreUnavailableError that carries no secret material", async () => {
    const store = new VaultSecretStore({ addr: "http://127.0.0.1:1", token: "t", mount: "secret" });
    const payloadText = `PAYLOAD-${randomUUID()}`;
    const keyValue = `KV-${randomUUID()}`;
    const secret = material(payloadText, { secret_key: keyValue });
    const needles = [payloadText, Buffer.from(payloadText).toString("base64"), keyValue];

    const attempts: [string, () => Promise<unknown>][] = [
      ["create", () => store.create(uniquePath("vault"), secret)],
      ["update", () => store.update(uniquePath("vault"), secret, 1)],
      ["read", () => store.read(uniquePath("vault"))],
      ["softDelete", () => store.softDelete(uniquePath("vault"))],
      ["destroy", () => store.destroy(uniquePath("vault"))],
    ];
    for (const [operation, attempt] of attempts) {
      const error = await attempt().then(
        () => assert.fail(`${operation} should have failed`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SecretStoreUnavailableError, `${operation}: ${String(error)}`);
      assert.match(error.message, /no response from the secrets engine/);
      assert.equal(error.cause, undefined);
      const views = [error.message, String(error), error.stack ?? "", JSON.stringify(error), JSON.stringify(Object.entries(error))];
      for (const view of views) for (const needle of needles) assert.ok(!view.includes(needle), `${operation} leaks ${needle}`);
    }
  });

  test("a wrong token is SecretStoreUnavailableError mentioning HTTP 403", async () => {
    const double = await kv2Double();
    const store = new VaultSecretStore({ addr: double.url, token: "not-the-token", mount: double.mount });
    const payloadText = `PAYLOAD-${randomUUID()}`;
    const error = await store.create(uniquePath("vault"), material(payloadText)).then(
      () => assert.fail("create should have failed"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SecretStoreUnavailableError);
    assert.match(error.message, /HTTP 403/);
    assert.ok(!`${error.message}${error.stack}${JSON.stringify(error)}`.includes(payloadText));
    await assert.rejects(
      store.read(uniquePath("vault")),
      (e: unknown) => e instanceof SecretStoreUnavailableError && /HTTP 403/.test(e.message),
    );
    await assert.rejects(store.destroy(uniquePath("vault")), SecretStoreUnavailableError);
  });

  test("the driver speaks only <mount>/data and <mount>/metadata, with the expected verbs", async () => {
    const double = await kv2Double();
    const store = new VaultSecretStore({ addr: double.url, token: double.token, mount: double.mount });
    const path = uniquePath("vault");
    await store.create(path, material("one"));
    await store.update(path, material("two"), 1);
    await store.read(path);
    await store.read(path, 1);
    await store.softDelete(path);
    await store.destroy(path);

    assert.deepEqual(
      double.requests.map((r) => `${r.method} ${r.path}`),
      [
        `POST /v1/secret/data/${path}`,
        `POST /v1/secret/data/${path}`,
        `GET /v1/secret/data/${path}`,
        `GET /v1/secret/data/${path}`,
        `DELETE /v1/secret/data/${path}`,
        `DELETE /v1/secret/metadata/${path}`,
      ],
    );
    for (const request of double.requests) {
      assert.match(request.path, /^\/v1\/secret\/(data|metadata)\//);
      assert.equal(request.namespace, undefined);
    }
  });

  test("with a namespace, every request carries X-Vault-Namespace, and the namespace is its own space", async () => {
    const double = await kv2Double();
    const scoped = new VaultSecretStore({ addr: double.url, token: double.token, mount: double.mount, namespace: "plexsphere/team-a" });
    const root = new VaultSecretStore({ addr: double.url, token: double.token, mount: double.mount });
    const path = uniquePath("vault");
    await scoped.create(path, material("scoped"));
    await scoped.update(path, material("scoped 2"), 1);
    assertSameMaterial(await scoped.read(path, 1), material("scoped"));
    await scoped.softDelete(path);
    const scopedRequests = double.requests.length;
    assert.equal(await root.read(path), null);
    await scoped.destroy(path);

    const sent = double.requests.filter((_, i) => i !== scopedRequests);
    assert.equal(sent.length, 5);
    for (const request of sent) {
      assert.equal(request.namespace, "plexsphere/team-a");
      assert.match(request.path, /^\/v1\/secret\/(data|metadata)\//);
    }
    assert.equal(double.requests[scopedRequests].namespace, undefined);
  });

  test("an engine that takes the request and never answers is unavailable once the timeout passes", async () => {
    // Takes the request and answers nothing.
    const silent = await listen(() => {});
    const store = new VaultSecretStore({ addr: silent.url, token: "t", mount: "secret", requestTimeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(
      store.create(uniquePath("vault"), material("x")),
      (e: unknown) => e instanceof SecretStoreUnavailableError && /no response/.test(e.message),
    );
    assert.ok(Date.now() - started < 5_000, "the timeout, not the test's, ended the request");
  });

  test("an answer that is not JSON (a proxy's 502 page) is unavailable with its status", async () => {
    const proxy = await listen((_request, response) => {
      response.writeHead(502, { "content-type": "text/html" }).end("<html><body>Bad Gateway</body></html>");
    });
    const store = new VaultSecretStore({ addr: proxy.url, token: "t", mount: "secret" });
    await assert.rejects(
      store.read(uniquePath("vault")),
      (e: unknown) => e instanceof SecretStoreUnavailableError && /HTTP 502/.test(e.message),
    );
  });

  test("a redirect is not followed: the token is never sent to where it points", async () => {
    const elsewhere = await listen((request, response) => {
      elsewhereTokens.push(String(request.headers["x-vault-token"]));
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const elsewhereTokens: string[] = [];
    const standby = await listen((request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}${request.url}` }).end();
    });
    const store = new VaultSecretStore({ addr: standby.url, token: "the-token", mount: "secret" });
    await assert.rejects(
      store.create(uniquePath("vault"), material("x")),
      (e: unknown) => e instanceof SecretStoreUnavailableError && /HTTP 307/.test(e.message) && e.code === "secrets_engine_unavailable",
    );
    assert.deepEqual(elsewhereTokens, []);
  });

  test("requests reuse one keep-alive connection", async () => {
    const double = await kv2Double();
    const sockets = new Set<unknown>();
    const counting = await listen(async (request, response) => {
      sockets.add(request.socket);
      const body: Buffer[] = [];
      for await (const chunk of request) body.push(chunk as Buffer);
      const upstream = await fetch(`${double.url}${request.url}`, {
        method: request.method,
        headers: { "x-vault-token": String(request.headers["x-vault-token"]), "content-type": "application/json" },
        body: request.method === "GET" ? undefined : Buffer.concat(body),
      });
      response.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
    });
    const store = new VaultSecretStore({ addr: counting.url, token: double.token, mount: double.mount });
    for (let i = 0; i < 5; i++) await store.create(uniquePath("vault"), material(`n${i}`));
    assert.equal(sockets.size, 1);
  });

  test("a secret written through the driver has the documented KV-v2 shape in the engine", async () => {
    const double = await kv2Double();
    const store = new VaultSecretStore({ addr: double.url, token: double.token, mount: double.mount });
    const path = uniquePath("vault");
    await store.create(path, { payload: new Uint8Array([0, 255, 128]), keyValues: { region: "eu" } });
    const response = await fetch(`${double.url}/v1/secret/data/${path}`, { headers: { "X-Vault-Token": double.token } });
    const body = (await response.json()) as { data: { data: unknown; metadata: { version: number } } };
    assert.deepEqual(body.data.data, { payload: Buffer.from([0, 255, 128]).toString("base64"), key_values: { region: "eu" } });
    assert.equal(body.data.metadata.version, 1);
  });
});

describe("VaultSecretStore and node-vault's debug logger", () => {
  test("with DEBUG=node-vault set, a write prints no secret (the driver gives node-vault no logger)", async () => {
    const { execFile } = await import("node:child_process");
    const double = await kv2Double();
    const canary = `debug-canary-${randomUUID()}`;
    const script = `
      const driver = await import("./lib/vault/node-vault.ts");
      const { VaultSecretStore } = driver.VaultSecretStore ? driver : driver.default; // tsx loads .ts as CommonJS here
      const store = new VaultSecretStore({ addr: ${JSON.stringify(double.url)}, token: ${JSON.stringify(double.token)}, mount: "secret" });
      await store.create("plexsphere/tests/debug/${randomUUID()}", {
        payload: new TextEncoder().encode(${JSON.stringify(canary)}),
        keyValues: { k: ${JSON.stringify(canary)} },
      });
      console.log("written");
    `;
    // Asynchronously: the double answers from this process's event loop.
    const child = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script],
        { cwd: process.cwd(), env: { ...process.env, DEBUG: "node-vault", DEBUG_COLORS: "0" }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ status: error ? 1 : 0, stdout, stderr }),
      );
    });
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /written/);
    const printed = child.stdout + child.stderr;
    assert.equal(printed.includes(canary), false);
    assert.equal(printed.includes(Buffer.from(canary).toString("base64")), false);
  });
});
