import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { authorize } from "@/lib/authz/service";
import { createCloud } from "@/lib/clouds/service";
import { authorizeIssue } from "@/lib/credentials/issue";
import { revokeCloudCredential } from "@/lib/credentials/revoke";
import { PermissionDeniedError } from "@/lib/errors";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { closeTestDatabase, createTestUser, testDatabase, testDatabaseUrl, uniqueSlug } from "@/testing/database";
import { DISTINCT_PER_WINDOW } from "./denials";
import { AUDIT_TEXT_MAX } from "./entry";
import { auditMacKey, entryMac } from "./mac";
import { auditEntryData, deny, listAuditEntries } from "./service";

const cloudInput = () => ({
  display_name: "A",
  slug: uniqueSlug(),
  provider: "aws" as const,
  external_id: randomUUID(),
  endpoint: {},
  region_defaults: {},
});

describe("the audit trail", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a denial is recorded under the correlation id the caller is given", async () => {
    const db = await testDatabase();
    const viewer = await createTestUser();
    const cloudId = randomUUID();
    const error = await authorize(viewer, "manage", { cloud: cloudId }).catch((e) => e);
    assert.ok(error instanceof PermissionDeniedError && error.correlationId);
    const entry = await db.auditEntry.findFirstOrThrow({ where: { correlationId: error.correlationId } });
    assert.deepEqual(
      { actorId: entry.actorId, action: entry.action, targetId: entry.targetId, cloudId: entry.cloudId, outcome: entry.outcome },
      { actorId: viewer.id, action: "cloud#manage", targetId: cloudId, cloudId, outcome: "denied" },
    );
  });

  test("create, issue and revoke are recorded with their actor, and never the secret", async () => {
    const db = await testDatabase();
    const operator = await createTestUser({ platformAdmin: true });
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const cloud = await createCloud(operator, cloudInput());
    const credential = await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "n",
      payload: new TextEncoder().encode("audit-canary-payload"),
      keyValues: { k: "audit-canary-value" },
      allowUnusualShape: true,
    });
    await revokeCloudCredential(operator, credential.id, "compromised laptop", { store });
    await revokeCloudCredential(operator, credential.id, "again", { store });
    const entries = await db.auditEntry.findMany({ where: { cloudId: cloud.id }, orderBy: { at: "asc" } });
    assert.deepEqual(
      entries.map((e) => [e.action, e.outcome, e.actorId]),
      [
        ["cloud.create", "succeeded", operator.id],
        ["relation.grant", "succeeded", operator.id],
        ["credential.issue", "succeeded", operator.id],
        ["credential.revoke", "succeeded", operator.id],
        ["credential.secret_delete", "succeeded", null],
      ],
      "the engine's soft delete is recorded by the system; a repeated revoke changes nothing and records nothing",
    );
    assert.equal(entries[3].reason, "compromised laptop");
    assert.equal(JSON.stringify(entries).includes("audit-canary"), false);
  });

  test("the database refuses to change or remove an entry, whoever asks", async () => {
    const db = await testDatabase();
    const viewer = await createTestUser();
    await authorize(viewer, "manage", { cloud: randomUUID() }).catch(() => {});
    const client = new pg.Client({ connectionString: await testDatabaseUrl() });
    await client.connect();
    try {
      for (const sql of [
        `UPDATE audit_entries SET outcome = 'succeeded' WHERE actor_id = '${viewer.id}'`,
        `DELETE FROM audit_entries WHERE actor_id = '${viewer.id}'`,
        `TRUNCATE audit_entries`,
      ]) {
        await assert.rejects(client.query(sql), /append-only/, sql);
      }
    } finally {
      await client.end();
    }
    assert.equal(await db.auditEntry.count({ where: { actorId: viewer.id, outcome: "denied" } }), 1);
  });

  test("only platform admins read it, filtered by Cloud, actor and action, newest first", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const owner = await createTestUser();
    const cloud = await createCloud(admin, cloudInput());
    await authorize(owner, "manage", { cloud: cloud.id }).catch(() => {});
    const forCloud = await listAuditEntries(admin, { cloudId: cloud.id }, { limit: 10 });
    assert.deepEqual(
      forCloud.items.map((e) => e.action),
      ["cloud#manage", "relation.grant", "cloud.create"],
    );
    assert.equal(forCloud.items[0].actorEmail, owner.email);
    const denials = await listAuditEntries(admin, { cloudId: cloud.id, actorId: owner.id, action: "cloud#manage" }, { limit: 10 });
    assert.equal(denials.items.length, 1);
    const firstPage = await listAuditEntries(admin, { cloudId: cloud.id }, { limit: 2 });
    const secondPage = await listAuditEntries(admin, { cloudId: cloud.id }, { limit: 2, before: firstPage.next });
    assert.deepEqual(
      [...firstPage.items, ...secondPage.items].map((e) => e.id),
      forCloud.items.map((e) => e.id),
    );
    await assert.rejects(listAuditEntries(owner, {}, { limit: 10 }), { code: "permission_denied" });
  });
});

describe("attacker-chosen text and floods in the audit trail", () => {
  before(testDatabase);
  after(closeTestDatabase);

  const entriesOf = async (actorId: string) => (await testDatabase()).auditEntry.findMany({ where: { actorId }, orderBy: { id: "asc" } });

  test("control characters are stripped and long text is cut with a marker, when stored and when shown", async () => {
    const db = await testDatabase();
    const attacker = await createTestUser();
    const admin = await createTestUser({ platformAdmin: true });
    const hostile = `ok\u202Efdp.exe\u001b[31mRED\u001b[0m\r\nforged: line\u0000\u2066x${"A".repeat(5000)}`;
    await deny(attacker.id, "token.issue", { type: "identity", id: `user:\u202E${"B".repeat(3000)}` }, hostile);
    const [stored] = await entriesOf(attacker.id);
    for (const text of [stored.reason!, stored.targetId]) {
      assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      assert.ok(Array.from(text).length <= AUDIT_TEXT_MAX, `${text.length} characters kept`);
      assert.ok(text.endsWith("…"));
    }
    assert.ok(stored.reason!.startsWith("okfdp.exeRED forged: linex"), stored.reason!.slice(0, 40));

    // A row an older server wrote before the cleaning (PostgreSQL itself refuses NUL) is still shown clean; its MAC is the server's, so the chain takes it.
    const legacy = {
      ...(await auditEntryData({ actorId: attacker.id, action: "token.issue", target: { type: "t", id: "i" }, outcome: "denied" })),
      action: "legacy",
      reason: hostile.replace("\u0000", ""),
    };
    await db.auditEntry.create({ data: { ...legacy, mac: entryMac(await auditMacKey(), legacy) } });
    const shown = await listAuditEntries(admin, { actorId: attacker.id, action: "legacy" }, { limit: 5 });
    assert.equal(shown.items.length, 1);
    assert.doesNotMatch(shown.items[0].reason!, /[\u0000-\u001f\u202e]/);
    assert.ok(Array.from(shown.items[0].reason!).length <= AUDIT_TEXT_MAX);
  });

  test("the same denial repeated 100 times is a few entries whose counts add up to 100", async () => {
    const caller = await createTestUser();
    const cloudId = randomUUID();
    const correlations = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const error = await authorize(caller, "manage", { cloud: cloudId }).catch((e) => e);
      assert.ok(error instanceof PermissionDeniedError);
      correlations.add(error.correlationId!);
    }
    assert.equal(correlations.size, 100);
    const entries = await entriesOf(caller.id);
    assert.deepEqual(
      entries.map((e) => e.repeatCount),
      [1, 9, 90],
    );
    assert.ok(entries.every((e) => e.action === "cloud#manage" && e.targetId === cloudId && e.outcome === "denied"));
  });

  test("one caller's many different denials are folded once past the per-window allowance", async () => {
    const caller = await createTestUser();
    const total = DISTINCT_PER_WINDOW + 20;
    for (let i = 0; i < total; i++) await deny(caller.id, "token.issue", { type: "identity", id: `user:${randomUUID()}` });
    const entries = await entriesOf(caller.id);
    const individual = entries.filter((e) => e.action === "token.issue");
    const folded = entries.filter((e) => e.action === "audit.denials_aggregated");
    assert.equal(individual.length, DISTINCT_PER_WINDOW);
    assert.deepEqual(
      folded.map((e) => e.repeatCount),
      [1, 9],
    );
  });
});
