import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { grant } from "@/lib/authz/service";
import { createCloud, deleteCloud } from "@/lib/clouds/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import type { Actor } from "@/lib/authz/service";
import { authorizeIssue } from "./issue";
import { revokeCloudCredential } from "./revoke";
import { authorizeAttach, authorizeDetach, listCredentialClouds } from "./usages";

const newCloud = (actor: Actor, name: string) =>
  createCloud(actor, {
    display_name: name,
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });

async function fixture() {
  const db = await testDatabase();
  const store = new EmbeddedSecretStore(db, randomBytes(32));
  const owner = await createTestUser({ platformAdmin: true, label: "owner" });
  const home = await newCloud(owner, "Home");
  const other = await newCloud(owner, "Other");
  const credential = await (await authorizeIssue(owner, home.id, { store })).issue({
    displayName: "key",
    payload: new TextEncoder().encode("p"),
    keyValues: {},
    allowUnusualShape: true,
  });
  return { db, store, owner, home, other, credential };
}

describe("credential <-> Cloud associations", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a credential serves its home Cloud; attaching adds a Cloud once (idempotent), listed by cloud_id and recorded once", async () => {
    const { db, owner, home, other, credential } = await fixture();
    assert.deepEqual((await listCredentialClouds(owner, credential.id, { limit: 50 })).items, [{ cloudId: home.id }]);
    const attacher = await authorizeAttach(owner, credential.id);
    assert.deepEqual(await attacher.attach(other.id), { cloudId: other.id });
    assert.deepEqual(await attacher.attach(other.id.toUpperCase()), { cloudId: other.id });
    assert.deepEqual(await attacher.attach(home.id), { cloudId: home.id }, "the home Cloud is served already");
    const listed = await listCredentialClouds(owner, credential.id, { limit: 50 });
    assert.deepEqual(
      listed.items.map((c) => c.cloudId),
      [home.id, other.id].sort(),
    );
    const first = await listCredentialClouds(owner, credential.id, { limit: 1 });
    assert.equal(first.items.length, 1);
    assert.ok(first.next);
    const second = await listCredentialClouds(owner, credential.id, { limit: 1, after: first.next });
    assert.deepEqual(second.items, [listed.items[1]]);
    assert.equal(second.next, undefined);
    assert.equal(await db.auditEntry.count({ where: { action: "credential.cloud_attach", targetId: credential.id } }), 1);
  });

  test("attaching needs manage on the home Cloud and on the target Cloud; who cannot see a Cloud is told it does not exist", async () => {
    const { owner, home, other, credential } = await fixture();
    const observer = await createTestUser({ label: "observer" });
    const db = await testDatabase();
    await grant(db, { type: "cloud", id: home.id }, "observer", observer.id);
    await assert.rejects(authorizeAttach(observer, credential.id), { code: "permission_denied" });
    const stranger = await createTestUser({ label: "stranger" });
    await assert.rejects(authorizeAttach(stranger, credential.id), { code: "cloud_credential_not_found" });

    // Manages the home Cloud, only observes the target: 403; cannot see it at all, or it is absent: cloud_not_found.
    const homeManager = await createTestUser({ label: "home-manager" });
    await grant(db, { type: "cloud", id: home.id }, "manage", homeManager.id);
    const attacher = await authorizeAttach(homeManager, credential.id);
    await assert.rejects(attacher.attach(other.id), { code: "cloud_not_found" });
    await grant(db, { type: "cloud", id: other.id }, "observer", homeManager.id);
    await assert.rejects(attacher.attach(other.id), { code: "permission_denied" });
    await assert.rejects(attacher.attach(randomUUID()), { code: "cloud_not_found" });
    assert.deepEqual((await listCredentialClouds(owner, credential.id, { limit: 50 })).items, [{ cloudId: home.id }]);

    // Reading needs observe on the home Cloud.
    assert.equal((await listCredentialClouds(observer, credential.id, { limit: 50 })).items.length, 1);
    await assert.rejects(listCredentialClouds(stranger, credential.id, { limit: 50 }), { code: "cloud_credential_not_found" });
    await assert.rejects(listCredentialClouds(owner, randomUUID(), { limit: 50 }), { code: "cloud_credential_not_found" });
  });

  test("a revoked credential cannot pick up a Cloud", async () => {
    const { owner, other, credential, store } = await fixture();
    await revokeCloudCredential(owner, credential.id, "leaked", { store });
    const attacher = await authorizeAttach(owner, credential.id);
    await assert.rejects(attacher.attach(other.id), { code: "cloud_credential_revoked", status: 409 });
  });

  test("the home Cloud cannot be detached; a usage Cloud's manager may detach it; detaching twice is fine", async () => {
    const { db, owner, home, other, credential } = await fixture();
    await (await authorizeAttach(owner, credential.id)).attach(other.id);
    await assert.rejects((await authorizeDetach(owner, credential.id, home.id)).detach(), {
      code: "cannot_detach_home_cloud",
      status: 409,
    });

    const otherManager = await createTestUser({ label: "other-manager" });
    await grant(db, { type: "cloud", id: other.id }, "manage", otherManager.id);
    const stranger = await createTestUser({ label: "stranger" });
    await assert.rejects(authorizeDetach(stranger, credential.id, other.id), { code: "cloud_credential_not_found" });
    const observer = await createTestUser({ label: "observer" });
    await grant(db, { type: "cloud", id: other.id }, "observer", observer.id);
    await assert.rejects(authorizeDetach(observer, credential.id, other.id), { code: "permission_denied" });

    await (await authorizeDetach(otherManager, credential.id, other.id)).detach();
    await (await authorizeDetach(otherManager, credential.id, other.id)).detach();
    assert.deepEqual((await listCredentialClouds(owner, credential.id, { limit: 50 })).items, [{ cloudId: home.id }]);
    assert.equal(await db.auditEntry.count({ where: { action: "credential.cloud_detach", targetId: credential.id } }), 1);
  });

  test("a Cloud that still serves another Cloud's credential is not empty", async () => {
    const { owner, other, credential } = await fixture();
    await (await authorizeAttach(owner, credential.id)).attach(other.id);
    await assert.rejects(deleteCloud(owner, other.id), (error: { code: string; extensions: Record<string, unknown> }) => {
      assert.equal(error.code, "cloud_not_empty");
      assert.deepEqual(error.extensions.cloud_child_counts, { cloud_credentials: 0, cloud_credential_usages: 1 });
      return true;
    });
    await (await authorizeDetach(owner, credential.id, other.id)).detach();
    await deleteCloud(owner, other.id);
  });
});
