import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud } from "@/lib/clouds/service";
import { ADVISORY_LOCKS, trySessionLock } from "@/lib/db/lock";
import { sweepExpiredCredentials } from "@/lib/credentials/lifecycle";
import { validateCloudCredential } from "@/lib/credentials/validate";
import { completePendingSecretRevocations } from "@/lib/credentials/revocations";
import { authorizeIssue } from "@/lib/credentials/issue";
import { getCloudCredential } from "@/lib/credentials/read";
import { revokeCloudCredential } from "@/lib/credentials/revoke";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { VaultSecretStore } from "@/lib/vault/node-vault";
import { credentialSecretPath, type SecretStore } from "@/lib/vault/store";
import { closeTestDatabase, createTestUser, testDatabase, testDatabaseUrl, uniqueSlug } from "@/testing/database";
import { startKv2Double, type Kv2Double } from "@/testing/kv2-double";
import { reconcileSecrets, runReconcilePass } from "./service";

const bytes = (s: string) => new TextEncoder().encode(s);
const GRACE_MS = 600_000;
const later = () => new Date(Date.now() + 2 * GRACE_MS);

const doubles: Kv2Double[] = [];
before(testDatabase);
after(async () => {
  await Promise.all(doubles.map((d) => d.stop()));
  await closeTestDatabase();
});

const drivers: [string, () => Promise<SecretStore>][] = [
  ["embedded", async () => new EmbeddedSecretStore(await testDatabase(), randomBytes(32))],
  [
    "vault (KV-v2 double)",
    async () => {
      const double = await startKv2Double({ mount: "secret" });
      doubles.push(double);
      return new VaultSecretStore({ addr: double.url, token: double.token, mount: "secret" });
    },
  ],
];

async function givens(store: SecretStore) {
  const operator = await createTestUser({ platformAdmin: true });
  const cloud = await createCloud(operator, {
    display_name: "R",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  const issuer = await authorizeIssue(operator, cloud.id, { store });
  const issue = (name = "c") => issuer.issue({ displayName: name, payload: bytes("{}"), keyValues: { k: "v" }, allowUnusualShape: true });
  return { operator, cloud, issue, scope: { store, cloudIds: [cloud.id] } };
}

async function auditActions(targetId: string) {
  const rows = await (await testDatabase()).auditEntry.findMany({ where: { targetId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({ action: r.action, actorId: r.actorId, outcome: r.outcome }));
}

for (const [driver, makeStore] of drivers) {
  describe(`reconciling the ${driver} store with the credential rows`, () => {
    test("a secret left without a row (the server died between the two writes) is destroyed once it is older than the grace, and recorded", async () => {
      const store = await makeStore();
      const { cloud, issue, scope } = await givens(store);
      const kept = await issue("kept");
      // What `kill -9` between the secret write and the row commit leaves behind.
      const orphanId = randomUUID();
      const orphanPath = credentialSecretPath(cloud.id, orphanId);
      await store.create(orphanPath, { payload: bytes("orphaned"), keyValues: {} });

      // Within the grace it could still be an issue in flight: untouched.
      const young = await reconcileSecrets({ ...scope, graceMs: GRACE_MS });
      assert.equal(young.orphansDestroyed, 0);
      assert.equal(young.orphansWithinGrace, 1);
      assert.ok(await store.read(orphanPath));

      const old = await reconcileSecrets({ ...scope, graceMs: GRACE_MS, now: later });
      assert.deepEqual(
        { destroyed: old.orphansDestroyed, missing: old.secretsMissing, listed: old.secretsListed, rows: old.rowsChecked },
        { destroyed: 1, missing: 0, listed: 2, rows: 1 },
      );
      assert.equal(await store.read(orphanPath), null);
      assert.equal(await store.read(orphanPath, 1), null);
      assert.ok(await store.read(credentialSecretPath(cloud.id, kept.id)), "a secret with a row is never touched");
      assert.deepEqual(await auditActions(orphanId), [{ action: "credential.orphan_destroyed", actorId: null, outcome: "succeeded" }]);

      const again = await reconcileSecrets({ ...scope, graceMs: GRACE_MS, now: later });
      assert.equal(again.orphansDestroyed, 0);
      assert.equal(again.secretsListed, 1);
    });

    test("a row whose secret is gone is marked secret_missing once, Test says so, and the mark clears when the secret returns", async () => {
      const store = await makeStore();
      const { operator, cloud, issue, scope } = await givens(store);
      const credential = await issue();
      const path = credentialSecretPath(cloud.id, credential.id);
      await store.destroy(path);

      const first = await reconcileSecrets({ ...scope, graceMs: GRACE_MS });
      assert.equal(first.secretsMissing, 1);
      const view = await getCloudCredential(operator, credential.id);
      assert.ok(view.secretMissingAt instanceof Date);
      assert.equal(view.status, "active", "the contract's status is kept; the mark is its own field");
      const validation = await validateCloudCredential(operator, credential.id, { store });
      assert.equal(validation.valid, false);
      assert.deepEqual(
        validation.checks.map((c) => [c.name, c.ok]),
        [["secrets engine", false]],
      );

      const second = await reconcileSecrets({ ...scope, graceMs: GRACE_MS });
      assert.equal(second.secretsMissing, 0, "marked once, not on every pass");
      assert.deepEqual(
        (await auditActions(credential.id)).filter((a) => a.action.startsWith("credential.secret")),
        [{ action: "credential.secret_missing", actorId: null, outcome: "failed" }],
      );

      await store.create(path, { payload: bytes("{}"), keyValues: {} });
      const restored = await reconcileSecrets({ ...scope, graceMs: GRACE_MS });
      assert.equal(restored.secretsRestored, 1);
      assert.equal((await getCloudCredential(operator, credential.id)).secretMissingAt, null);
    });

    test("a revoked credential's soft-deleted secret is neither missing nor an orphan", async () => {
      const store = await makeStore();
      const { operator, cloud, issue, scope } = await givens(store);
      const credential = await issue();
      await revokeCloudCredential(operator, credential.id, "done", { store });
      const report = await reconcileSecrets({ ...scope, graceMs: 0, now: later });
      assert.deepEqual({ destroyed: report.orphansDestroyed, missing: report.secretsMissing }, { destroyed: 0, missing: 0 });
      assert.equal((await getCloudCredential(operator, credential.id)).secretMissingAt, null);
      assert.equal((await store.list(`plexsphere/clouds/${cloud.id}/`)).length, 1);
    });

    test("an expired credential whose secret the outbox deleted is not reported missing", async () => {
      const store = await makeStore();
      const { operator, issue, scope } = await givens(store);
      const credential = await issue();
      const db = await testDatabase();
      // Expire this credential only: a sweep at a future instant would expire every other test's too.
      await db.cloudCredential.update({ where: { id: credential.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await sweepExpiredCredentials();
      await completePendingSecretRevocations({ store });
      const report = await reconcileSecrets({ ...scope, graceMs: 0, now: later });
      assert.equal(report.secretsMissing, 0);
      assert.equal((await getCloudCredential(operator, credential.id)).secretMissingAt, null);
      assert.deepEqual(
        (await auditActions(credential.id)).filter((a) => a.action === "credential.secret_missing"),
        [],
      );
    });

    test("after many issues cut off mid-way, one pass with grace 0 leaves no secret without a row and no row without a secret", async () => {
      const store = await makeStore();
      const { cloud, issue, scope } = await givens(store);
      const issued = await Promise.all(Array.from({ length: 8 }, (_, i) => issue(`ok ${i}`)));
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.create(credentialSecretPath(cloud.id, randomUUID()), { payload: bytes("cut off"), keyValues: {} }),
        ),
      );
      await reconcileSecrets({ ...scope, graceMs: 0, now: later });
      const paths = new Set((await store.list(`plexsphere/clouds/${cloud.id}/`)).map((s) => s.path));
      const rows = new Set(issued.map((c) => credentialSecretPath(cloud.id, c.id)));
      assert.deepEqual([...paths].sort(), [...rows].sort());
    });
  });
}

describe("one reconcile pass at a time", () => {
  test("while another instance holds the lock, a pass does nothing and says it was busy", async () => {
    const store = await drivers[0][1]();
    const { cloud, scope } = await givens(store);
    const orphanPath = credentialSecretPath(cloud.id, randomUUID());
    await store.create(orphanPath, { payload: bytes("x"), keyValues: {} });
    const onPostgres = process.env.TEST_DATABASE !== "embedded";

    let release: () => Promise<void>;
    let busy;
    if (onPostgres) {
      // Another instance: its own connection to the same database, holding the advisory lock until released.
      let finish!: () => void;
      const gate = new Promise<void>((resolve) => (finish = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const other = trySessionLock(await testDatabaseUrl(), ADVISORY_LOCKS.reconcile, async () => {
        holding();
        await gate;
      });
      await Promise.race([held, other.then((r) => assert.fail(`the other instance did not get the lock: ${JSON.stringify(r)}`))]);
      release = async () => {
        finish();
        assert.deepEqual(await other, { busy: false, result: undefined });
      };
      busy = await runReconcilePass({ ...scope, graceMs: 0, now: later, lockUrl: await testDatabaseUrl() });
    } else {
      // The embedded database has one server process; two passes in it still exclude each other.
      let reachedList!: () => void;
      const reached = new Promise<void>((resolve) => (reachedList = resolve));
      let finish!: () => void;
      const gate = new Promise<void>((resolve) => (finish = resolve));
      const slowStore: SecretStore = Object.assign(Object.create(store), {
        list: async (prefix: string) => {
          reachedList();
          await gate;
          return store.list(prefix);
        },
      });
      const holding = runReconcilePass({ ...scope, store: slowStore, graceMs: GRACE_MS, lockUrl: undefined });
      await reached;
      release = async () => {
        finish();
        await holding;
      };
      busy = await runReconcilePass({ ...scope, graceMs: 0, now: later, lockUrl: undefined });
    }
    assert.deepEqual(busy, { busy: true });
    assert.ok(await store.read(orphanPath), "the busy pass touched nothing");
    await release();

    const run = await runReconcilePass({ ...scope, graceMs: 0, now: later, lockUrl: onPostgres ? await testDatabaseUrl() : undefined });
    assert.equal(run.busy, false);
    assert.equal(await store.read(orphanPath), null);
  });
});
