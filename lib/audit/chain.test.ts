import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { closeTestDatabase, createTestUser, testDatabase, testDatabaseUrl } from "@/testing/database";
import { GENESIS_PREV_HASH, sealAuditChain, verifyAuditChain } from "./chain";
import type { AuditAction } from "./action-names";
import { recordAudit } from "./service";

/** An attacker with database access: connects directly and switches the append-only trigger off around their edit. */
async function asAttacker(sql: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: await testDatabaseUrl() });
  await client.connect();
  try {
    await client.query("ALTER TABLE audit_entries DISABLE TRIGGER USER");
    await client.query(sql, params);
  } finally {
    await client.query("ALTER TABLE audit_entries ENABLE TRIGGER USER").catch(() => {});
    await client.end();
  }
}

async function record(actorId: string, action: AuditAction) {
  const correlationId = randomUUID();
  await recordAudit({ actorId, action, target: { type: "test", id: correlationId }, outcome: "succeeded", correlationId });
  return correlationId;
}

describe("the audit hash chain", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("sealing links every committed entry to its predecessor, from 32 zero bytes", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    await record(user.id, "cloud.create");
    await record(user.id, "cloud.update");
    await sealAuditChain();
    const rows = await db.auditEntry.findMany({ orderBy: { seq: "asc" } });
    assert.ok(rows.length >= 2 && rows.every((r) => r.seq !== null && r.hash && r.prevHash));
    assert.equal(rows[0].seq, 1n);
    assert.equal(rows[0].prevHash, GENESIS_PREV_HASH);
    for (let i = 1; i < rows.length; i++) {
      assert.equal(rows[i].seq, rows[i - 1].seq! + 1n);
      assert.equal(rows[i].prevHash, rows[i - 1].hash);
    }
    const verdict = await verifyAuditChain();
    assert.equal(verdict.ok, true);
    assert.equal(verdict.segmentFrom, 1n);
    assert.equal(verdict.segmentTo, rows.at(-1)!.seq);
  });

  test("the table lets the sealer set the chain columns once, and refuses anything else", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const correlationId = await record(user.id, "credential.issue");
    await sealAuditChain();
    const client = new pg.Client({ connectionString: await testDatabaseUrl() });
    await client.connect();
    try {
      for (const sql of [
        `UPDATE audit_entries SET hash = repeat('a', 64) WHERE correlation_id = '${correlationId}'`,
        `UPDATE audit_entries SET seq = NULL, prev_hash = NULL, hash = NULL WHERE correlation_id = '${correlationId}'`,
        `DELETE FROM audit_entries WHERE correlation_id = '${correlationId}'`,
      ]) {
        await assert.rejects(client.query(sql), /append-only/, sql);
      }
      // Nor can an entry arrive pre-sealed, claiming a place in the chain.
      await assert.rejects(
        client.query(
          `INSERT INTO audit_entries (id, action, target_type, target_id, outcome, correlation_id, seq, prev_hash, hash)
           VALUES ($1, 'forged', 't', 't', 'succeeded', 'c', 999999, repeat('0', 64), repeat('0', 64))`,
          [randomUUID()],
        ),
        /sealed by the sealer/,
      );
    } finally {
      await client.end();
    }
    assert.equal((await db.auditEntry.findFirstOrThrow({ where: { correlationId } })).action, "credential.issue");
  });

  test("an entry changed behind the trigger's back is found, and named by its seq", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const correlationId = await record(user.id, "cloud.delete");
    await record(user.id, "cloud.update");
    await sealAuditChain();
    const target = await db.auditEntry.findFirstOrThrow({ where: { correlationId } });
    assert.equal((await verifyAuditChain()).ok, true);

    await asAttacker(`UPDATE audit_entries SET outcome = 'denied' WHERE id = $1`, [target.id]);
    const verdict = await verifyAuditChain();
    assert.equal(verdict.ok, false);
    assert.equal(verdict.divergentSeq, target.seq);
    assert.equal(verdict.observedHash, target.hash);
    assert.match(verdict.expectedHash ?? "", /^[0-9a-f]{64}$/);
    assert.notEqual(verdict.expectedHash, target.hash);
    // A segment that ends before the tampered entry is still clean.
    assert.equal((await verifyAuditChain({ from: 1n, to: target.seq! - 1n })).ok, true);

    await asAttacker(`UPDATE audit_entries SET outcome = 'succeeded' WHERE id = $1`, [target.id]);
    assert.equal((await verifyAuditChain()).ok, true);
  });

  test("a removed entry, or one whose hash was recomputed to match, breaks the link to the next", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const first = await record(user.id, "credential.revoke");
    await record(user.id, "cloud.update");
    await sealAuditChain();
    const removed = await db.auditEntry.findFirstOrThrow({ where: { correlationId: first } });

    await asAttacker(`DELETE FROM audit_entries WHERE id = $1`, [removed.id]);
    const verdict = await verifyAuditChain();
    assert.equal(verdict.ok, false);
    assert.equal(verdict.divergentSeq, removed.seq! + 1n);

    // Put it back (the same bytes) and the chain holds again.
    await asAttacker(
      `INSERT INTO audit_entries (id, at, actor_id, action, target_type, target_id, cloud_id, outcome, reason, correlation_id, repeat_count, seq, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [removed.id, removed.at, removed.actorId, removed.action, removed.targetType, removed.targetId, removed.cloudId, removed.outcome, removed.reason, removed.correlationId, removed.repeatCount, removed.seq!.toString(), removed.prevHash, removed.hash],
    );
    assert.equal((await verifyAuditChain()).ok, true);

    // Rewriting an entry and its own hash still leaves the successor pointing at the old hash.
    await asAttacker(`UPDATE audit_entries SET reason = 'nothing happened', hash = repeat('b', 64) WHERE id = $1`, [removed.id]);
    const rewritten = await verifyAuditChain();
    assert.equal(rewritten.ok, false);
    assert.equal(rewritten.divergentSeq, removed.seq);
    await asAttacker(`UPDATE audit_entries SET reason = $2, hash = $3 WHERE id = $1`, [removed.id, removed.reason, removed.hash]);
    assert.equal((await verifyAuditChain()).ok, true);
  });

  test("entries recorded after a seal join the chain at the next verify", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    await sealAuditChain();
    const late = await record(user.id, "credential.rotate");
    assert.equal((await db.auditEntry.findFirstOrThrow({ where: { correlationId: late } })).seq, null);
    assert.equal((await verifyAuditChain()).ok, true);
    assert.notEqual((await db.auditEntry.findFirstOrThrow({ where: { correlationId: late } })).seq, null);
  });
});
