import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { credentialToWire } from "@/lib/api/wire";
import { createCloud } from "@/lib/clouds/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { VaultSecretStore } from "@/lib/vault/node-vault";
import { credentialSecretPath, type SecretStore } from "@/lib/vault/store";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { startKv2Double, type Kv2Double } from "@/testing/kv2-double";
import { sweepExpiredCredentials } from "./lifecycle";
import { completePendingSecretRevocations } from "./revocations";
import { authorizeIssue } from "./issue";
import { getCloudCredential } from "./read";
import { revokeCloudCredential } from "./revoke";

const bytes = (s: string) => new TextEncoder().encode(s);

/**
 * A TCP proxy in front of the KV-v2 double that can be cut and restored on
 * the same port, as an outage between the console and its engine would be.
 */
async function cuttableProxy(
  target: URL,
): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      const closing = server;
      server = undefined;
      if (closing) closing.close(() => resolve());
      else resolve();
    });
  await listen();
  return { url: `http://127.0.0.1:${port}`, cut, restore: listen, close: cut };
}

const doubles: Kv2Double[] = [];

async function issued(store: SecretStore) {
  const operator = await createTestUser({ platformAdmin: true });
  const cloud = await createCloud(operator, {
    display_name: "R",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  const credential = await (await authorizeIssue(operator, cloud.id, { store })).issue({
    displayName: "r",
    payload: bytes("live material"),
    keyValues: { k: "v" },
    allowUnusualShape: true,
  });
  return { operator, cloud, credential, path: credentialSecretPath(cloud.id, credential.id) };
}

describe("revoking while the secrets engine is unreachable", () => {
  before(testDatabase);
  after(async () => {
    await Promise.all(doubles.map((d) => d.stop()));
    await closeTestDatabase();
  });

  test("answers revoked with the deletion pending, the material stays readable, one outbox pass after recovery soft-deletes it and records it", async () => {
    const db = await testDatabase();
    const double = await startKv2Double({ mount: "secret" });
    doubles.push(double);
    const proxy = await cuttableProxy(new URL(double.url));
    const throughProxy = new VaultSecretStore({ addr: proxy.url, token: double.token, mount: "secret" });
    const direct = new VaultSecretStore({ addr: double.url, token: double.token, mount: "secret" });
    const { operator, credential, path } = await issued(throughProxy);

    await proxy.cut();
    const revoked = await revokeCloudCredential(operator, credential.id, "engine outage", { store: throughProxy });
    assert.equal(revoked.status, "revoked");
    assert.equal(revoked.secretRevocation, "pending", "the answer says the material is still live");
    assert.equal(credentialToWire(revoked).secret_revocation, "pending");
    assert.deepEqual((await direct.read(path))?.payload, bytes("live material"), "still in the engine");

    // Still cut: a pass changes nothing and says so.
    assert.deepEqual((await completePendingSecretRevocations({ store: throughProxy })).completed.includes(credential.id), false);
    assert.equal((await getCloudCredential(operator, credential.id)).secretRevocation, "pending");

    await proxy.restore();
    const pass = await completePendingSecretRevocations({ store: throughProxy });
    assert.equal(pass.completed.includes(credential.id), true);
    assert.equal(await direct.read(path), null, "soft-deleted in the engine");
    const after = await getCloudCredential(operator, credential.id);
    assert.equal(after.secretRevocation, "complete");
    assert.equal(credentialToWire(after).secret_revocation, "complete");
    const completions = await db.auditEntry.findMany({ where: { targetId: credential.id, action: "credential.secret_delete" } });
    assert.deepEqual(
      completions.map((e) => [e.outcome, e.actorId]),
      [["succeeded", null]],
      "the completion is recorded once, by the system",
    );
    assert.equal(
      (await completePendingSecretRevocations({ store: throughProxy })).completed.includes(credential.id),
      false,
      "nothing left to do",
    );
    await proxy.close();
  });

  test("a revoke repeated after recovery completes the deletion itself", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    let down = true;
    const flaky: SecretStore = {
      ...bindAll(store),
      softDelete: (p) => (down ? Promise.reject(new Error("engine down")) : store.softDelete(p)),
    };
    const { operator, credential, path } = await issued(store);
    assert.equal((await revokeCloudCredential(operator, credential.id, "first", { store: flaky })).secretRevocation, "pending");
    assert.notEqual(await store.read(path), null);
    down = false;
    assert.equal((await revokeCloudCredential(operator, credential.id, "again", { store: flaky })).secretRevocation, "complete");
    assert.equal(await store.read(path), null);
  });

  test("an engine that never answers does not hold the revoke: it answers pending within the deadline", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const hanging: SecretStore = { ...bindAll(store), softDelete: () => new Promise(() => undefined) };
    const { operator, credential, path } = await issued(store);
    const started = Date.now();
    assert.equal((await revokeCloudCredential(operator, credential.id, "black hole", { store: hanging })).secretRevocation, "pending");
    assert.ok(Date.now() - started < 10_000, "answered without waiting for the engine");
    assert.notEqual(await store.read(path), null);
    await completePendingSecretRevocations({ store });
    assert.equal(await store.read(path), null);
  });

  test("outbox passes on several instances at once delete each owed secret exactly once", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    let down = true;
    const deletes = new Map<string, number>();
    const counting: SecretStore = {
      ...bindAll(store),
      softDelete: async (p) => {
        if (down) throw new Error("engine down");
        deletes.set(p, (deletes.get(p) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20)); // a slow engine widens the window for a double claim
        return store.softDelete(p);
      },
    };
    const owed = [];
    for (let i = 0; i < 8; i++) {
      const { operator, credential, path } = await issued(store);
      await revokeCloudCredential(operator, credential.id, "outage", { store: counting });
      owed.push(path);
    }
    down = false;
    await Promise.all([1, 2, 3, 4].map(() => completePendingSecretRevocations({ store: counting })));
    for (const path of owed) {
      assert.equal(deletes.get(path), 1, "one instance claimed it");
      assert.equal(await store.read(path), null);
    }
  });

  test("expiry also soft-deletes the secret through the outbox", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const { operator, credential, path } = await issued(store);
    // Time is moved for this credential only: a sweep at a future instant would expire every other test's too.
    await db.cloudCredential.update({ where: { id: credential.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await sweepExpiredCredentials();
    const expired = await getCloudCredential(operator, credential.id);
    assert.equal(expired.status, "expired");
    assert.equal(expired.secretRevocation, "pending");
    await completePendingSecretRevocations({ store });
    assert.equal(await store.read(path), null);
    assert.equal((await getCloudCredential(operator, credential.id)).secretRevocation, "complete");
  });
});

function bindAll(store: SecretStore): SecretStore {
  return {
    driver: store.driver,
    create: store.create.bind(store),
    update: store.update.bind(store),
    read: store.read.bind(store),
    softDelete: store.softDelete.bind(store),
    destroy: store.destroy.bind(store),
    list: store.list.bind(store),
  };
}
