import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, mock, test } from "node:test";
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

type Entry = Awaited<ReturnType<Awaited<ReturnType<typeof testDatabase>>["auditEntry"]["findFirstOrThrow"]>>;

/** Puts a removed entry back, the same bytes. */
async function restore(row: Entry): Promise<void> {
  const values = [
    row.id,
    row.at,
    row.actorId,
    row.action,
    row.targetType,
    row.targetId,
    row.cloudId,
    row.outcome,
    row.reason,
    row.correlationId,
    row.repeatCount,
    row.seq!.toString(),
    row.prevHash,
    row.hash,
  ];
  const withMac = "mac" in row;
  await asAttacker(
    `INSERT INTO audit_entries (id, at, actor_id, action, target_type, target_id, cloud_id, outcome, reason, correlation_id, repeat_count, seq,
    prev_hash, hash${withMac ? ", mac" : ""})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14${withMac ? ", $15" : ""})`,
    withMac ? [...values, row.mac] : values,
  );
}

/** An attacker with INSERT only: a plain insert, triggers on, shaped like a real entry. */
async function forge(fields: {
  id?: string;
  at?: Date;
  action: string;
  reason: string | null;
  mac?: string | null;
  actorId?: string | null;
  targetType?: string;
  targetId?: string;
  outcome?: string;
  correlationId?: string;
}): Promise<string> {
  const id = fields.id ?? randomUUID();
  const client = new pg.Client({ connectionString: await testDatabaseUrl() });
  await client.connect();
  try {
    const values = [
      id,
      fields.at ?? new Date(),
      fields.actorId ?? null,
      fields.action,
      fields.targetType ?? "cloud_credential",
      fields.targetId ?? randomUUID(),
      fields.outcome ?? "succeeded",
      fields.reason,
      fields.correlationId ?? randomUUID(),
    ];
    // Without a MAC the column is left out, as a script written against the table before it had one would.
    const withMac = fields.mac !== undefined;
    await client.query(
      `INSERT INTO audit_entries (id, at, actor_id, action, target_type, target_id, outcome, reason, correlation_id${withMac ? ", mac" : ""})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9${withMac ? ", $10" : ""})`,
      withMac ? [...values, fields.mac] : values,
    );
  } finally {
    await client.end();
  }
  return id;
}

/** The server's error log lines while a test runs. */
function captureErrors() {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  const spy = mock.method(process.stderr, "write", (chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
  return {
    lines: () =>
      written
        .flatMap((w) => w.split("\n"))
        .filter(Boolean)
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return {};
          }
        }),
    restore: () => spy.mock.restore(),
  };
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
    // The first missing entry is named, not the one after the gap.
    assert.equal(verdict.divergentSeq, removed.seq);
    assert.equal(verdict.observedHash, null);

    // Put it back (the same bytes) and the chain holds again.
    await restore(removed);
    assert.equal((await verifyAuditChain()).ok, true);

    // Rewriting an entry and its own hash still leaves the successor pointing at the old hash.
    await asAttacker(`UPDATE audit_entries SET reason = 'nothing happened', hash = repeat('b', 64) WHERE id = $1`, [removed.id]);
    const rewritten = await verifyAuditChain();
    assert.equal(rewritten.ok, false);
    assert.equal(rewritten.divergentSeq, removed.seq);
    await asAttacker(`UPDATE audit_entries SET reason = $2, hash = $3 WHERE id = $1`, [removed.id, removed.reason, removed.hash]);
    assert.equal((await verifyAuditChain()).ok, true);
  });

  test("ids sent in upper case (a server action's argument) are MACed as the database keeps them: the entry seals", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const correlationId = randomUUID();
    await recordAudit({
      actorId: user.id.toUpperCase(),
      action: "credential.issue",
      target: { type: "cloud_credential", id: correlationId },
      cloudId: randomUUID().toUpperCase(),
      outcome: "succeeded",
      correlationId,
    });
    assert.equal((await verifyAuditChain()).ok, true);
    assert.notEqual((await db.auditEntry.findFirstOrThrow({ where: { correlationId } })).seq, null, "sealed, not refused as a forgery");
  });

  test("a reason with lone surrogates (a hostile client's JSON escapes) is MACed as the database keeps it: the entry seals", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    for (const reason of ["\ud800", "no\udfffpe", "\udc00\ud800", "ok \ud83d\ude00 then \ud83d"]) {
      const correlationId = randomUUID();
      await recordAudit({
        actorId: user.id,
        action: "assignment.reject",
        target: { type: "credential_assignment", id: correlationId },
        outcome: "succeeded",
        reason,
        correlationId,
      });
      assert.equal((await verifyAuditChain()).ok, true, JSON.stringify(reason));
      const kept = await db.auditEntry.findFirstOrThrow({ where: { correlationId } });
      assert.notEqual(kept.seq, null, "sealed, not refused as a forgery");
      assert.equal(kept.reason, reason.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
    }
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
  test("several entries removed from the middle: verify names the first missing one, for the whole chain and for a segment", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await record(user.id, "cloud.update"));
    await sealAuditChain();
    const rows = await db.auditEntry.findMany({ where: { correlationId: { in: ids } }, orderBy: { seq: "asc" } });
    const [, second, third, fourth] = rows;
    await asAttacker(`DELETE FROM audit_entries WHERE id = ANY($1::uuid[])`, [[second.id, third.id, fourth.id]]);
    try {
      assert.equal((await verifyAuditChain()).divergentSeq, second.seq);
      assert.equal((await verifyAuditChain({ from: rows[0].seq!, to: rows[4].seq! })).divergentSeq, second.seq);
      // A segment that starts on a missing entry names that entry.
      const fromGap = await verifyAuditChain({ from: third.seq! });
      assert.equal(fromGap.ok, false);
      assert.equal(fromGap.divergentSeq, third.seq);
    } finally {
      for (const row of [second, third, fourth]) await restore(row);
    }
    assert.equal((await verifyAuditChain()).ok, true);
  });

  test("a row inserted straight into the table is not sealed, holds the chain, and is reported until it is removed", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    await record(user.id, "cloud.create");
    await sealAuditChain();
    const head = (await db.auditEntry.findFirstOrThrow({ where: { seq: { not: null } }, orderBy: { seq: "desc" } })).seq!;

    // Insert access only: no trigger is switched off, every column a real entry has, no MAC.
    const forged = await forge({ action: "credential.revoke", reason: "routine" });
    const later = await record(user.id, "cloud.update");
    const logged = captureErrors();
    try {
      const pass = await sealAuditChain();
      assert.deepEqual(pass.refused, { id: forged, seq: head + 1n });
      assert.equal((await db.auditEntry.findUniqueOrThrow({ where: { id: forged } })).seq, null);
      // A chain does not skip: what came after waits behind the forgery.
      assert.equal((await db.auditEntry.findFirstOrThrow({ where: { correlationId: later } })).seq, null);
      assert.ok(
        logged.lines().some((l) => l.event === "audit_chain.entry_refused" && l.entry_id === forged && l.seq === String(head + 1n)),
        JSON.stringify(logged.lines()),
      );

      const verdict = await verifyAuditChain();
      assert.equal(verdict.ok, false);
      assert.equal(verdict.divergentSeq, head + 1n);
      assert.equal(verdict.refusedEntryId, forged);
      // Still reported at the next run: nothing an attacker can wait out.
      assert.equal((await verifyAuditChain()).refusedEntryId, forged);
      // The sealed part on its own still verifies.
      assert.equal((await verifyAuditChain({ from: 1n, to: head })).ok, true);
    } finally {
      logged.restore();
      await asAttacker(`DELETE FROM audit_entries WHERE id = $1`, [forged]);
    }
    // The operator removed it: the waiting entries are sealed in order and the chain holds.
    assert.equal((await verifyAuditChain()).ok, true);
    assert.equal((await db.auditEntry.findFirstOrThrow({ where: { correlationId: later } })).seq, head + 1n);
  });

  test("rows with a wrong MAC are refused as well: made up, copied from a real entry, or claiming to be from before MACs", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const real = await db.auditEntry.findFirstOrThrow({ where: { correlationId: await record(user.id, "credential.issue") } });
    await sealAuditChain();
    const macs = [
      "0".repeat(64),
      "f".repeat(64),
      real.mac!, // a genuine MAC, over other fields
      real.mac!.toUpperCase(),
      real.mac!.slice(0, 63),
      "",
      "legacy",
    ];
    for (const mac of macs) {
      const forged = await forge({ action: "credential.issue", reason: null, mac });
      try {
        const verdict = await verifyAuditChain();
        assert.equal(verdict.ok, false, mac);
        assert.equal(verdict.refusedEntryId, forged, mac);
        assert.equal((await db.auditEntry.findUniqueOrThrow({ where: { id: forged } })).seq, null, mac);
      } finally {
        await asAttacker(`DELETE FROM audit_entries WHERE id = $1`, [forged]);
      }
    }
    // A copy of a real entry's fields, time and MAC under a new id does not match either (the id is covered).
    const copy = await forge({ ...real, id: randomUUID(), mac: real.mac });
    try {
      assert.equal((await verifyAuditChain()).refusedEntryId, copy);
    } finally {
      await asAttacker(`DELETE FROM audit_entries WHERE id = $1`, [copy]);
    }
    // The marker the upgrade gave older rows cannot be inserted.
    await assert.rejects(forge({ action: "credential.issue", reason: null, mac: "pre-upgrade" }), /carry a MAC/);
    assert.equal((await verifyAuditChain()).ok, true);
  });

  test("rows from before the upgrade are chained as they are", async () => {
    const db = await testDatabase();
    // What the migration left: a row with the 'pre-upgrade' marker (only the table's owner can write one now).
    const legacy = randomUUID();
    await asAttacker(
      `INSERT INTO audit_entries (id, action, target_type, target_id, outcome, correlation_id, mac) VALUES ($1, 'cloud.create', 'cloud', 'c',
      'succeeded', $2, 'pre-upgrade')`,
      [legacy, legacy],
    );
    await sealAuditChain();
    assert.notEqual((await db.auditEntry.findUniqueOrThrow({ where: { id: legacy } })).seq, null);
    assert.equal((await verifyAuditChain()).ok, true);
  });
});
