import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { authorizeAuditChainRead, authorizeAuditEntryRead } from "./chain-read";
import { authorizeIdentityErasure } from "./erase";
import { chainFiltersFrom } from "./filters";
import { recordAudit } from "./service";

const domain = { domainId: DEFAULT_DOMAIN_ID };
const filters = (query: Record<string, string>) => chainFiltersFrom(new URLSearchParams(query));

describe("reading the audit chain", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("only the platform's auditors: the list is refused (recorded), one entry is not found", async () => {
    const db = await testDatabase();
    const viewer = await createTestUser();
    await assert.rejects(authorizeAuditChainRead(viewer, domain), { code: "permission_denied" });
    await assert.rejects(authorizeAuditChainRead(viewer, { platform: true }), { code: "permission_denied" });
    await assert.rejects(authorizeAuditEntryRead(viewer, domain), { code: "audit_entry_not_found", status: 404 });
    // The entry read's denial repeats the list's (same actor, action and target): flood control folds it (lib/audit/denials.ts).
    assert.equal(await db.auditEntry.count({ where: { actorId: viewer.id, action: "audit.read", outcome: "denied" } }), 2);
    const admin = await createTestUser({ platformAdmin: true });
    await assert.rejects(authorizeAuditChainRead(admin, { domainId: randomUUID() }), { code: "domain_not_found" });
    await assert.rejects(authorizeAuditEntryRead(admin, { domainId: randomUUID() }), { code: "audit_entry_not_found" });
  });

  test("entries in seq order, each with the proof a client recomputes its hash from", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const correlationId = randomUUID();
    await recordAudit({
      actorId: admin.id,
      action: "cloud.create",
      target: { type: "cloud", id: randomUUID() },
      outcome: "succeeded",
      correlationId,
    });
    const reader = await authorizeAuditChainRead(admin, domain);
    const page = await reader.list(filters({ correlation_id: correlationId }), { limit: 10 });
    assert.equal(page.items.length, 1);
    const [entry] = page.items;
    assert.equal(entry.domainId, DEFAULT_DOMAIN_ID);
    assert.equal(entry.reason, "granted");
    assert.equal(entry.relation, "cloud.create");
    assert.match(entry.subject.pseudonym, /^[0-9a-f]{64}$/);
    assert.notEqual(entry.subject.pseudonym, admin.id);

    const { entry: one, proof } = await (await authorizeAuditEntryRead(admin, { platform: true })).entry(entry.seq);
    assert.deepEqual(one, entry);
    const inner = createHash("sha256").update(proof.canonicalBytes).digest();
    const recomputed = createHash("sha256").update(Buffer.from(proof.prevHash, "hex")).update(inner).digest("hex");
    assert.equal(recomputed, proof.entryHash);
    assert.equal(proof.entryHash, entry.entryHash);
    assert.equal(JSON.parse(proof.canonicalBytes.toString("utf8"))[1], entry.seq.toString());
    await assert.rejects(reader.entry(entry.seq + 1_000_000n), { code: "audit_entry_not_found" });

    const all = await reader.list({}, { limit: 2 });
    assert.equal(all.items.length, 2);
    assert.ok(all.items[0].seq < all.items[1].seq);
    assert.equal(all.next, all.items[1].seq);
    const next = await reader.list({}, { limit: 2, afterSeq: all.next });
    assert.ok(next.items[0].seq > all.items[1].seq);
  });

  test("filters: subject pseudonym, reason, object and an inclusive time window", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const actor = await createTestUser();
    const objectId = randomUUID();
    const at = new Date();
    await recordAudit({ actorId: actor.id, action: "cloud.update", target: { type: "cloud", id: objectId }, outcome: "succeeded" });
    await recordAudit({
      actorId: actor.id,
      action: "cloud#manage",
      target: { type: "cloud", id: objectId },
      outcome: "denied",
      reason: "insufficient_relation",
    });
    const reader = await authorizeAuditChainRead(admin, domain);
    const byObject = await reader.list(filters({ object_type: "cloud", object_id: objectId }), { limit: 10 });
    assert.deepEqual(
      byObject.items.map((e) => e.reason),
      ["granted", "insufficient_relation"],
    );
    const pseudonym = byObject.items[0].subject.pseudonym;
    assert.equal(byObject.items[1].subject.pseudonym, pseudonym);
    const bySubject = await reader.list(filters({ subject: pseudonym.toUpperCase() }), { limit: 10 });
    assert.deepEqual(
      bySubject.items.map((e) => e.object.id),
      [objectId, objectId],
    );
    assert.deepEqual((await reader.list(filters({ subject: "a".repeat(64) }), { limit: 10 })).items, []);
    const denied = await reader.list(filters({ object_id: objectId, reason: "insufficient_relation" }), { limit: 10 });
    assert.deepEqual(
      denied.items.map((e) => e.relation),
      ["cloud#manage"],
    );
    assert.equal((await reader.list(filters({ object_id: objectId, reason: "unknown" }), { limit: 10 })).items.length, 0);
    const inWindow = await reader.list(
      filters({ object_id: objectId, from: new Date(at.getTime() - 60_000).toISOString(), to: new Date().toISOString() }),
      {
        limit: 10,
      },
    );
    assert.equal(inWindow.items.length, 2);
    assert.equal(
      (await reader.list(filters({ object_id: objectId, to: new Date(at.getTime() - 60_000).toISOString() }), { limit: 10 })).items.length,
      0,
    );
  });

  test("a subject that is not hex, an unknown reason and `to` before `from` are 400 invalid_filter", () => {
    assert.throws(() => filters({ subject: "user-1" }), { code: "invalid_filter", status: 400 });
    assert.throws(() => filters({ subject: "g".repeat(64) }), { code: "invalid_filter" });
    assert.throws(() => filters({ reason: "because" }), { code: "invalid_filter" });
    assert.throws(() => filters({ from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z" }), { code: "invalid_filter" });
    assert.throws(() => filters({ from: "yesterday" }), { code: "invalid_filter" });
    assert.deepEqual(filters({ from: "2026-12-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }).from, new Date("2026-12-01T00:00:00Z"));
  });

  test("erasing an identity is not provisioned (501), after the gate", async () => {
    const viewer = await createTestUser();
    await assert.rejects(authorizeIdentityErasure(viewer, domain), { code: "permission_denied" });
    const admin = await createTestUser({ platformAdmin: true });
    await assert.rejects(authorizeIdentityErasure(admin, { domainId: randomUUID() }), { code: "domain_not_found" });
    const eraser = await authorizeIdentityErasure(admin, { platform: true });
    await assert.rejects(eraser.erase(viewer.id), { code: "audit_not_provisioned", status: 501 });
  });
});
