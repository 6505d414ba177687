import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud } from "@/lib/clouds/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { credentialSecretPath, type SecretStore } from "@/lib/vault/store";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { authorizeRotate } from "./rotate";
import { daysUntil, sweepExpiredCredentials, updateCredentialMetadata } from "./lifecycle";
import { listExpiringSoonPage } from "./pages";

const listExpiringSoon = async (actor: { id: string }, days: number) => (await listExpiringSoonPage(actor, { days, limit: 200 })).items;
import { authorizeIssue } from "./issue";
import { getCloudCredential } from "./read";
import { revokeCloudCredential } from "./revoke";

const bytes = (s: string) => new TextEncoder().encode(s);
const DAY = 86_400_000;

async function fixture() {
  const db = await testDatabase();
  const store = new EmbeddedSecretStore(db, randomBytes(32));
  const operator = await createTestUser({ platformAdmin: true });
  const cloud = await createCloud(operator, {
    display_name: "L",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  const credential = await (await authorizeIssue(operator, cloud.id, { store })).issue({
    displayName: "c",
    payload: bytes("v1"),
    keyValues: { k: "1" },
    allowUnusualShape: true,
  });
  return { db, store, operator, cloud, credential, path: credentialSecretPath(cloud.id, credential.id) };
}

describe("rotating a credential", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("new material becomes the next KV version; the id stays; the old version remains readable by version", async () => {
    const { store, operator, credential, path } = await fixture();
    const rotated = await (await authorizeRotate(operator, credential.id, { store })).rotate({
      expectedVersion: 1,
      payload: bytes("v2"),
      keyValues: {},
      allowUnusualShape: true,
    });
    assert.equal(rotated.id, credential.id);
    assert.equal(rotated.version, 2);
    assert.deepEqual((await store.read(path))?.payload, bytes("v2"));
    assert.deepEqual((await store.read(path, 1))?.payload, bytes("v1"));
  });

  test("a stale expected version is a CAS conflict and changes nothing", async () => {
    const { store, operator, credential, path } = await fixture();
    const rotator = await authorizeRotate(operator, credential.id, { store });
    await rotator.rotate({ expectedVersion: 1, payload: bytes("v2"), keyValues: {}, allowUnusualShape: true });
    await assert.rejects(rotator.rotate({ expectedVersion: 1, payload: bytes("stale"), keyValues: {}, allowUnusualShape: true }), {
      code: "credential_cas_conflict",
      status: 409,
    });
    assert.equal((await getCloudCredential(operator, credential.id)).version, 2);
    assert.deepEqual((await store.read(path))?.payload, bytes("v2"));
  });

  test("a revoked credential cannot be rotated", async () => {
    const { store, operator, credential } = await fixture();
    await revokeCloudCredential(operator, credential.id, "done", { store });
    await assert.rejects(
      (await authorizeRotate(operator, credential.id, { store })).rotate({
        expectedVersion: 1,
        payload: bytes("x"),
        keyValues: {},
        allowUnusualShape: true,
      }),
      { code: "credential_revoked", status: 409 },
    );
  });

  test("an expired credential cannot be rotated: its secret is being deleted", async () => {
    const { db, store, operator, credential, path } = await fixture();
    await db.cloudCredential.update({ where: { id: credential.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await assert.rejects(
      (await authorizeRotate(operator, credential.id, { store })).rotate({
        expectedVersion: 1,
        payload: bytes("v2"),
        keyValues: {},
        allowUnusualShape: true,
      }),
      {
        code: "credential_expired",
        status: 409,
      },
    );
    assert.deepEqual((await store.read(path))?.payload, bytes("v1"), "nothing new was written");
  });

  test("someone without manage is refused before a rotator exists; to a stranger it is not found, like a missing credential", async () => {
    const { store, credential } = await fixture();
    const stranger = await createTestUser();
    await assert.rejects(authorizeRotate(stranger, credential.id, { store }), { code: "cloud_credential_not_found", status: 404 });
    await assert.rejects(authorizeRotate(stranger, randomUUID(), { store }), { code: "cloud_credential_not_found", status: 404 });
    // An observer of the Cloud knows the credential exists: a 403 tells them nothing new.
    const observer = await createTestUser({ platformAdmin: true });
    await assert.rejects(authorizeRotate(observer, credential.id, { store }), { code: "permission_denied", status: 403 });
  });

  test("a revoke that lands during a rotation leaves no readable material", async () => {
    const { store, operator, credential, path } = await fixture();
    // A store double whose write lets a revoke land first, as a concurrent request would.
    const racing: SecretStore = {
      driver: "embedded",
      create: store.create.bind(store),
      update: async (p, material, expected) => {
        await revokeCloudCredential(operator, credential.id, "concurrent revoke", { store });
        return store.update(p, material, expected);
      },
      read: store.read.bind(store),
      softDelete: store.softDelete.bind(store),
      destroy: store.destroy.bind(store),
      list: store.list.bind(store),
    };
    await assert.rejects(
      (await authorizeRotate(operator, credential.id, { store: racing })).rotate({
        expectedVersion: 1,
        payload: bytes("v2"),
        keyValues: {},
        allowUnusualShape: true,
      }),
      {
        code: "credential_revoked",
      },
    );
    assert.equal(await store.read(path), null);
  });

  test("if the secret write fails, the row's version goes back", async () => {
    const { store, operator, credential } = await fixture();
    const failing: SecretStore = {
      driver: "embedded",
      create: store.create.bind(store),
      update: async () => Promise.reject(new Error("engine down")),
      read: store.read.bind(store),
      softDelete: store.softDelete.bind(store),
      destroy: store.destroy.bind(store),
      list: store.list.bind(store),
    };
    await assert.rejects(
      (await authorizeRotate(operator, credential.id, { store: failing })).rotate({
        expectedVersion: 1,
        payload: bytes("v2"),
        keyValues: {},
        allowUnusualShape: true,
      }),
    );
    assert.equal((await getCloudCredential(operator, credential.id)).version, 1);
  });
});

describe("editing metadata and expiry", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("rename and shorten the expiry; an expiry in the past or a blank name is refused", async () => {
    const { operator, credential } = await fixture();
    const sooner = new Date(credential.expiresAt.getTime() - 10 * DAY);
    const updated = await updateCredentialMetadata(operator, credential.id, { displayName: " renamed ", expiresAt: sooner });
    assert.equal(updated.displayName, "renamed");
    assert.equal(updated.expiresAt.getTime(), sooner.getTime());
    assert.equal(updated.version, 1, "the secret is not touched");
    await assert.rejects(updateCredentialMetadata(operator, credential.id, { expiresAt: new Date(Date.now() - DAY) }), {
      code: "invalid_expiry",
    });
    await assert.rejects(updateCredentialMetadata(operator, credential.id, { displayName: "  " }), { code: "invalid_display_name" });
    await assert.rejects(updateCredentialMetadata(await createTestUser(), credential.id, { displayName: "x" }), {
      code: "cloud_credential_not_found",
    });
  });

  test("renew: manage moves the expiry later up to a year from now, audited old → new; beyond a year is refused", async () => {
    const { db, operator, credential } = await fixture();
    const now = new Date();
    const later = new Date(now.getTime() + 300 * DAY);
    const renewed = await updateCredentialMetadata(operator, credential.id, { expiresAt: later }, now);
    assert.equal(renewed.expiresAt.getTime(), later.getTime());
    assert.equal(renewed.id, credential.id);
    const entry = await db.auditEntry.findFirstOrThrow({ where: { targetId: credential.id, action: "credential.renewed" } });
    assert.equal(entry.actorId, operator.id);
    assert.equal(entry.reason, `expiry ${credential.expiresAt.toISOString()} → ${later.toISOString()}`);
    await assert.rejects(updateCredentialMetadata(operator, credential.id, { expiresAt: new Date(now.getTime() + 366 * DAY) }, now), {
      code: "invalid_expiry",
      status: 400,
    });
    assert.equal(
      (await getCloudCredential(operator, credential.id)).expiresAt.getTime(),
      later.getTime(),
      "the refused renew changed nothing",
    );
    const viewer = await createTestUser();
    await assert.rejects(updateCredentialMetadata(viewer, credential.id, { expiresAt: later }), { code: "cloud_credential_not_found" });
  });

  test("an expired or revoked credential cannot be renewed", async () => {
    const { db, operator, credential, store, cloud } = await fixture();
    await db.cloudCredential.update({ where: { id: credential.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const later = new Date(Date.now() + 30 * DAY);
    await assert.rejects(updateCredentialMetadata(operator, credential.id, { expiresAt: later }), {
      code: "credential_expired",
      status: 409,
    });
    const other = await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "o",
      payload: bytes("x"),
      keyValues: {},
      allowUnusualShape: true,
    });
    await revokeCloudCredential(operator, other.id, "gone", { store });
    await assert.rejects(updateCredentialMetadata(operator, other.id, { expiresAt: later }), { code: "credential_revoked", status: 409 });
  });

  test("rotate with a later expiry renews in the same step; beyond a year is refused and nothing changes", async () => {
    const { db, store, operator, credential, path } = await fixture();
    const rotator = await authorizeRotate(operator, credential.id, { store });
    await assert.rejects(
      rotator.rotate({
        expectedVersion: 1,
        payload: bytes("v2"),
        keyValues: {},
        allowUnusualShape: true,
        expiresAt: new Date(Date.now() + 400 * DAY),
      }),
      { code: "invalid_expiry", status: 400 },
    );
    assert.equal((await getCloudCredential(operator, credential.id)).version, 1);
    const later = new Date(Date.now() + 200 * DAY);
    const rotated = await rotator.rotate({
      expectedVersion: 1,
      payload: bytes("v2"),
      keyValues: {},
      allowUnusualShape: true,
      expiresAt: later,
    });
    assert.equal(rotated.version, 2);
    assert.equal(rotated.expiresAt.getTime(), later.getTime());
    assert.deepEqual((await store.read(path))?.payload, bytes("v2"));
    assert.equal(await db.auditEntry.count({ where: { targetId: credential.id, action: "credential.renewed" } }), 1);
  });

  test("the sweeper stamps expired_at once, at the injected time, and records it", async () => {
    const { db, operator, credential } = await fixture();
    // Its expiry is moved into the past rather than the sweep into the future, which would expire every other test's credentials too.
    const expiresAt = new Date(Date.now() - 10_000);
    await db.cloudCredential.update({ where: { id: credential.id }, data: { expiresAt } });
    const later = new Date(expiresAt.getTime() + 1000);
    assert.equal((await sweepExpiredCredentials(new Date(expiresAt.getTime() - 1000))).includes(credential.id), false);
    assert.equal((await sweepExpiredCredentials(later)).includes(credential.id), true);
    assert.equal((await sweepExpiredCredentials(new Date(later.getTime() + 1000))).includes(credential.id), false, "only once");
    const read = await getCloudCredential(operator, credential.id);
    assert.equal(read.status, "expired");
    assert.equal(read.expiredAt?.getTime(), later.getTime());
    assert.equal(await db.auditEntry.count({ where: { targetId: credential.id, action: "credential.expire", actorId: null } }), 1);
  });

  test("expiring soon lists the actor's active credentials within the window, soonest first", async () => {
    const { operator, cloud, credential, store } = await fixture();
    const soon = await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "soon",
      payload: bytes("s"),
      keyValues: {},
      allowUnusualShape: true,
      expiresAt: new Date(Date.now() + 3 * DAY),
    });
    const list = await listExpiringSoon(operator, 30);
    const ids = list.map((c) => c.id);
    assert.ok(ids.includes(soon.id));
    assert.equal(ids.includes(credential.id), false, "90 days out is not soon");
    assert.equal(list.find((c) => c.id === soon.id)?.cloudSlug, cloud.slug);
    assert.deepEqual(await listExpiringSoon(await createTestUser(), 30), []);
    assert.equal(daysUntil(soon.expiresAt), 3);
    assert.equal(daysUntil(soon.expiresAt, new Date(soon.expiresAt.getTime() + 1)), 0);
  });
});
