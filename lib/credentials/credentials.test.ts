import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud } from "@/lib/clouds/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { credentialSecretPath, type SecretMaterial, type SecretStore } from "@/lib/vault/store";
import { countCanary, dumpDatabase, makeCanary } from "@/testing/canary";
import { closeTestDatabase, createTestUser, testDatabase, testDatabaseUrl, uniqueSlug } from "@/testing/database";
import type { SessionUser } from "@/lib/auth/session";
import { performAction } from "@/lib/action-run";
import { issueCredential } from "./issue-form";
import { authorizeIssue } from "./issue";
import { getCloudCredential, listCloudCredentials } from "./read";

const DAY = 86_400_000;
const bytes = (s: string) => new TextEncoder().encode(s);

async function fixture() {
  const db = await testDatabase();
  const store = new EmbeddedSecretStore(db, randomBytes(32));
  const operator = await createTestUser({ platformAdmin: true, label: "operator" });
  const cloud = await createCloud(operator, {
    display_name: "Demo",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  return { db, store, operator, cloud };
}

/** The console's issue form's argument, as its page sends it: key-value rows as edited (a string stands for a garbled one). */
function issueForm(fields: Record<string, string | File>): Record<string, unknown> {
  const { key_values, ...rest } = fields;
  let rows: unknown = [];
  if (typeof key_values === "string") {
    try {
      rows = JSON.parse(key_values);
    } catch {
      rows = key_values;
    }
  }
  return { payload_source: "paste", payload_text: "", allow_unusual_shape: true, ...rest, key_values: rows };
}

/** The issue action as the console runs it for a signed-in user, with a test's secret store. */
async function issueFromForm(actor: SessionUser, cloudId: string, form: Record<string, unknown>, deps: { store: SecretStore }) {
  form.cloudId = cloudId;
  const result = await performAction(issueCredential(deps), actor, form);
  return result.ok ? { ok: true as const, credentialId: result.data.credentialId } : result;
}

/** An argument that records every field read, to prove a denied caller's form is never opened. */
function recordingForm(): { form: Record<string, unknown>; reads: string[] } {
  const reads: string[] = [];
  const form = new Proxy(issueForm({ display_name: "x", payload_text: "secret" }), {
    get(target, prop) {
      if (typeof prop === "string" && prop !== "cloudId") reads.push(prop);
      return Reflect.get(target, prop, target);
    },
  });
  return { form, reads };
}

describe("issuing a Cloud Credential", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("the Cloud's creator issues at once: version 1, active, default expiry, material in the store", async () => {
    const { db, store, operator, cloud } = await fixture();
    const now = new Date("2026-11-22T12:00:00Z");
    const issuer = await authorizeIssue(operator, cloud.id, { store, now: () => now });
    const view = await issuer.issue({
      displayName: "  Provisioner  ",
      payload: bytes('{"k":"v"}'),
      keyValues: { role: "r" },
      allowUnusualShape: true,
    });

    assert.equal(view.displayName, "Provisioner", "surrounding blanks are trimmed");
    assert.equal(view.version, 1);
    assert.equal(view.status, "active");
    assert.equal(view.expiresAt.getTime(), now.getTime() + 90 * DAY);
    const stored = await store.read(credentialSecretPath(cloud.id, view.id));
    assert.deepEqual(stored, { payload: bytes('{"k":"v"}'), keyValues: { role: "r" } } satisfies SecretMaterial);
    assert.equal(await db.cloudCredential.count({ where: { id: view.id } }), 1);
  });

  test("the projection carries metadata fields only", async () => {
    const { store, operator, cloud } = await fixture();
    const issued = await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "n",
      payload: bytes("p"),
      keyValues: { a: "b" },
      allowUnusualShape: true,
    });
    const read = await getCloudCredential(operator, issued.id);
    assert.deepEqual(Object.keys(read).sort(), [
      "cloudId",
      "createdAt",
      "displayName",
      "expiredAt",
      "expiresAt",
      "id",
      "revokedAt",
      "secretMissingAt",
      "secretRevocation",
      "status",
      "updatedAt",
      "version",
    ]);
  });

  test("someone without manage, a platform admin who did not create the Cloud, and an unknown Cloud are all refused alike", async () => {
    const { store, cloud } = await fixture();
    const viewer = await createTestUser({ label: "viewer" });
    const otherAdmin = await createTestUser({ platformAdmin: true, label: "other-admin" });
    for (const [actor, cloudId] of [
      [viewer, cloud.id],
      [otherAdmin, cloud.id],
      [viewer, randomUUID()],
      [otherAdmin, "not-a-uuid"],
    ] as const) {
      await assert.rejects(authorizeIssue(actor, cloudId, { store }), { code: "permission_denied", status: 403 });
    }
  });

  test("a denied caller's form is never read, and they get the same answer as for a missing Cloud", async () => {
    const { store, cloud } = await fixture();
    const viewer = await createTestUser({ label: "viewer" });
    const denied = recordingForm();
    const missing = recordingForm();
    const onCloud = await issueFromForm(viewer, cloud.id, denied.form, { store });
    const onNothing = await issueFromForm(viewer, randomUUID(), missing.form, { store });
    assert.deepEqual(denied.reads, []);
    assert.deepEqual(missing.reads, []);
    assert.deepEqual(onCloud, onNothing);
    assert.equal(onCloud.ok, false);
  });

  test("a manager's form is read and issued", async () => {
    const { store, operator, cloud } = await fixture();
    const file = new File([new Uint8Array([0, 1, 2, 255])], "key.bin");
    const result = await issueFromForm(
      operator,
      cloud.id,
      issueForm({ display_name: "from file", payload_source: "file", payload_file: file }),
      {
        store,
      },
    );
    assert.equal(result.ok, true);
    if (!result.ok) return;
    const stored = await store.read(credentialSecretPath(cloud.id, result.credentialId));
    assert.deepEqual(stored?.payload, new Uint8Array([0, 1, 2, 255]));
  });

  for (const [name, fields, errorField] of [
    ["a blank display name", { display_name: "   ", payload_text: "s" }, "display_name"],
    ["a display name with a NUL byte", { display_name: "bad\u0000name", payload_text: "s" }, "display_name"],
    ["an empty pasted payload", { display_name: "n", payload_text: "" }, "payload_text"],
    ["a payload of 4097 bytes", { display_name: "n", payload_text: "x".repeat(4097) }, "payload_text"],
    ["an empty file", { display_name: "n", payload_source: "file", payload_file: new File([], "empty") }, "payload_file"],
    [
      "a file of 4097 bytes",
      { display_name: "n", payload_source: "file", payload_file: new File(["x".repeat(4097)], "big") },
      "payload_file",
    ],
    ["a key-value with a bad key", { display_name: "n", payload_text: "s", key_values: '[{"key":"a b","value":"v"}]' }, "key_values.0.key"],
    ["a key-value without a value", { display_name: "n", payload_text: "s", key_values: '[{"key":"a","value":""}]' }, "key_values.0.value"],
    [
      "a duplicated key",
      { display_name: "n", payload_text: "s", key_values: '[{"key":"a","value":"1"},{"key":"a","value":"2"}]' },
      "key_values.1.key",
    ],
    ["unreadable key-values", { display_name: "n", payload_text: "s", key_values: "{not json" }, "key_values"],
    ["an expiry in the past", { display_name: "n", payload_text: "s", expires_on: "2000-01-01" }, "expires_on"],
    ["an expiry beyond a year", { display_name: "n", payload_text: "s", expires_on: "2999-01-01" }, "expires_on"],
  ] as const) {
    test(`${name} gets a field message and changes nothing`, async () => {
      const { db, store, operator, cloud } = await fixture();
      const result = await issueFromForm(operator, cloud.id, issueForm(fields as Record<string, string | File>), { store });
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.ok(result.fieldErrors[errorField], `expected an error on ${errorField}, got ${JSON.stringify(result.fieldErrors)}`);
      assert.equal(await db.cloudCredential.count({ where: { cloudId: cloud.id } }), 0);
      assert.equal(await db.embeddedSecretVersion.count({ where: { path: { startsWith: `plexsphere/clouds/${cloud.id}/` } } }), 0);
    });
  }

  test("a payload of exactly 4096 bytes is accepted", async () => {
    const { store, operator, cloud } = await fixture();
    const result = await issueFromForm(operator, cloud.id, issueForm({ display_name: "n", payload_text: "é".repeat(2048) }), { store });
    assert.equal(result.ok, true);
  });

  test("error answers never repeat a submitted secret", async () => {
    const { store, operator, cloud } = await fixture();
    const canary = makeCanary();
    const result = await issueFromForm(
      operator,
      cloud.id,
      issueForm({
        display_name: " ",
        payload_text: canary,
        key_values: JSON.stringify([
          { key: canary, value: canary },
          { key: canary, value: canary },
        ]),
      }),
      { store },
    );
    assert.equal(result.ok, false);
    assert.equal(countCanary(JSON.stringify(result), canary), 0);
  });

  test("if the secret write fails, no metadata row is left", async () => {
    const { db, operator, cloud } = await fixture();
    const failingStore: SecretStore = {
      driver: "embedded",
      create: async () => {
        throw new Error("secrets engine unavailable");
      },
      update: async () => ({ version: 1 }),
      read: async () => null,
      softDelete: async () => {},
      destroy: async () => {},
      list: async () => [],
    };
    const issuer = await authorizeIssue(operator, cloud.id, { store: failingStore });
    await assert.rejects(issuer.issue({ displayName: "n", payload: bytes("s"), keyValues: {}, allowUnusualShape: true }));
    assert.equal(await db.cloudCredential.count({ where: { cloudId: cloud.id } }), 0);
  });

  test("if the metadata row cannot commit after the secret was written, the secret is destroyed", async () => {
    const { db, store, operator, cloud } = await fixture();
    const first = await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "first",
      payload: bytes("one"),
      keyValues: {},
      allowUnusualShape: true,
    });
    // A second credential whose id collides with the first: its row insert fails on the primary key.
    const otherCloud = await createCloud(operator, {
      display_name: "Other",
      slug: uniqueSlug(),
      provider: "gcp",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    const issuer = await authorizeIssue(operator, otherCloud.id, { store, newId: () => first.id });
    await assert.rejects(issuer.issue({ displayName: "second", payload: bytes("two"), keyValues: {}, allowUnusualShape: true }));
    assert.equal(await store.read(credentialSecretPath(otherCloud.id, first.id)), null, "the orphaned secret was removed");
    assert.equal(await db.embeddedSecretVersion.count({ where: { path: credentialSecretPath(otherCloud.id, first.id) } }), 0);
    assert.deepEqual((await store.read(credentialSecretPath(cloud.id, first.id)))?.payload, bytes("one"), "the first is untouched");
    assert.equal(await db.cloudCredential.count({ where: { cloudId: otherCloud.id } }), 0);
  });

  test("no table holds the payload or a key-value in any encoding", async () => {
    const { store, operator, cloud } = await fixture();
    const canary = makeCanary();
    await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "canary holder",
      payload: bytes(canary),
      keyValues: { [`k-${canary}`]: canary },
      allowUnusualShape: true,
    });
    const dump = await dumpDatabase(await testDatabaseUrl());
    assert.ok(dump.includes("canary holder"), "the dump covers the credential table");
    assert.equal(countCanary(dump, canary), 0);
  });
});

describe("reading Cloud Credentials", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("observers of the Cloud list and read; for others a credential is not found, exactly like a missing id", async () => {
    const { store, operator, cloud } = await fixture();
    const issued = await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "n",
      payload: bytes("s"),
      keyValues: {},
      allowUnusualShape: true,
    });
    const admin = await createTestUser({ platformAdmin: true });
    const stranger = await createTestUser();

    assert.deepEqual(
      (await listCloudCredentials(admin, cloud.id, { limit: 200 }).then((p) => p.items)).map((c) => c.id),
      [issued.id],
    );
    assert.equal((await getCloudCredential(admin, issued.id)).id, issued.id);
    await assert.rejects(
      listCloudCredentials(stranger, cloud.id, { limit: 200 }).then((p) => p.items),
      { code: "permission_denied" },
    );
    // Whoever may not see the Cloud hears what a missing id gets: ids cannot be probed.
    await assert.rejects(getCloudCredential(stranger, issued.id), {
      code: "cloud_credential_not_found",
      status: 404,
      message: "This credential does not exist.",
    });
    await assert.rejects(getCloudCredential(stranger, randomUUID()), {
      code: "cloud_credential_not_found",
      status: 404,
      message: "This credential does not exist.",
    });
    await assert.rejects(getCloudCredential(operator, randomUUID()), { code: "cloud_credential_not_found", status: 404 });
    await assert.rejects(getCloudCredential(operator, "../etc/passwd"), { code: "cloud_credential_not_found" });
  });

  test("status is derived: expired once expires_at passes, revoked over expired", async () => {
    const { db, store, operator, cloud } = await fixture();
    const issued = await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "n",
      payload: bytes("s"),
      keyValues: {},
      allowUnusualShape: true,
    });
    await db.cloudCredential.update({ where: { id: issued.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.equal((await getCloudCredential(operator, issued.id)).status, "expired");
    await db.cloudCredential.update({ where: { id: issued.id }, data: { revokedAt: new Date() } });
    assert.equal((await getCloudCredential(operator, issued.id)).status, "revoked");
  });
});
