import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { ADVISORY_LOCKS, lockForTransaction } from "@/lib/db/lock";
import { log } from "@/lib/log";
import { auditMacKey, hasValidMac, recordedFields, type MacFields } from "./mac";

/**
 * The audit trail's hash chain. Entries are written unsealed (no seq, no
 * hashes) by whichever transaction records them, so audited writes never
 * queue behind one chain head. The sealer then places committed entries in
 * the chain one batch at a time: it gives each the next `seq`, the previous
 * entry's hash as `prev_hash`, and
 *
 *   hash = sha256(prev_hash || sha256(canonical bytes of the entry))
 *
 * (prev_hash of seq 1 is 32 zero bytes). Because the sealer assigns seq
 * itself, in the order it finds entries committed, an entry whose
 * transaction commits late simply lands later in the chain; nothing sealed
 * ever has to move. One sealer at a time (a transaction-scoped advisory
 * lock); the table's trigger lets those three columns be set once, from
 * NULL, and refuses every other UPDATE or DELETE.
 *
 * The sealer chains only entries the server wrote: each must carry a valid
 * MAC (lib/audit/mac.ts). At the first entry without one (a row inserted
 * straight into the database) it stops: the entries before it are sealed,
 * that entry and everything after it wait. A chain must not skip, so
 * nothing later is sealed past a forgery, and the halt is loud: every pass
 * logs `audit_chain.entry_refused` with the entry's id, and verify reports
 * the chain broken at the seq that entry would take, naming it, until an
 * operator removes the row (see docs/guide/audit.md, "Only the server's entries are chained").
 */
export const GENESIS_PREV_HASH = "0".repeat(64);
/**
 * Entries per sealing transaction. Each batch's reading, hashing and writing
 * holds the server's one thread; at 500 a pass behind a busy minute of
 * issues stalled every request in flight for about 60 ms, at 100 it does not
 * stand out from the load (measured with monitorEventLoopDelay under 32
 * issuing clients).
 */
export const SEAL_BATCH = 100;

/** What the MAC covers, and the place the sealer gave it. */
export interface ChainedEntry extends MacFields {
  seq: bigint;
}

/** The bytes an entry's hash covers: every recorded field, in a fixed order, including its place in the chain. */
export function canonicalBytes(entry: ChainedEntry): Buffer {
  return Buffer.from(JSON.stringify(["plexsphere.audit.v1", entry.seq.toString(), ...recordedFields(entry)]), "utf8");
}

export function entryHash(prevHash: string, entry: ChainedEntry): string {
  const inner = createHash("sha256").update(canonicalBytes(entry)).digest();
  return createHash("sha256").update(Buffer.from(prevHash, "hex")).update(inner).digest("hex");
}

type Row = Omit<ChainedEntry, "seq"> & { seq: bigint | null; prevHash: string | null; hash: string | null; mac: string | null };

const SELECTED = {
  id: true,
  at: true,
  actorId: true,
  action: true,
  targetType: true,
  targetId: true,
  cloudId: true,
  outcome: true,
  reason: true,
  correlationId: true,
  repeatCount: true,
  seq: true,
  prevHash: true,
  hash: true,
  mac: true,
} as const;

/** An entry the sealer would not chain, and the place in the chain it would have taken. */
export interface RefusedEntry {
  id: string;
  seq: bigint;
}

export interface SealPass {
  sealed: number;
  /** Set when the pass stopped at an entry without a valid MAC: nothing after it is sealed. */
  refused: RefusedEntry | null;
}

/**
 * Seals every entry committed so far, in batches, up to the first one
 * without a valid MAC. Safe to call from several processes at once: they
 * take turns.
 */
export async function sealAuditChain(): Promise<SealPass> {
  const key = await auditMacKey();
  let sealed = 0;
  for (;;) {
    const batch = await sealBatch(key);
    sealed += batch.sealed;
    if (batch.refused) {
      log.error("audit_chain.entry_refused", {
        entry_id: batch.refused.id,
        seq: batch.refused.seq.toString(),
        reason: "missing_or_invalid_mac",
      });
      return batch;
    }
    if (batch.sealed < SEAL_BATCH) return { sealed, refused: null };
  }
}

async function sealBatch(key: Buffer): Promise<SealPass> {
  return db().$transaction(async (tx) => {
    await lockForTransaction(tx, ADVISORY_LOCKS.auditSeal);
    const head = await tx.auditEntry.findFirst({
      where: { seq: { not: null } },
      orderBy: { seq: "desc" },
      select: { seq: true, hash: true },
    });
    const pending: Row[] = await tx.auditEntry.findMany({
      where: { seq: null },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: SEAL_BATCH,
      select: SELECTED,
    });
    let seq = head?.seq ?? 0n;
    let prev = head?.hash ?? GENESIS_PREV_HASH;
    let refused: RefusedEntry | null = null;
    const ids: string[] = [];
    const seqs: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of pending) {
      seq += 1n;
      if (!hasValidMac(key, row)) {
        refused = { id: row.id, seq };
        break;
      }
      const hash = entryHash(prev, { ...row, seq });
      ids.push(row.id);
      seqs.push(seq.toString());
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    if (ids.length > 0) {
      // One statement for the batch; `seq IS NULL` keeps a row sealed by someone else (impossible under the lock) from being resealed.
      await tx.$executeRaw`
        UPDATE audit_entries AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
        FROM unnest(${ids}::uuid[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) AS v(id, seq, prev_hash, hash)
        WHERE a.id = v.id AND a.seq IS NULL`;
    }
    return { sealed: ids.length, refused };
  });
}

export interface ChainVerdict {
  ok: boolean;
  divergentSeq: bigint | null;
  expectedHash: string | null;
  observedHash: string | null;
  segmentFrom: bigint;
  segmentTo: bigint;
  /** The entry the sealer refused (no valid MAC); divergentSeq is then the seq it would take. */
  refusedEntryId: string | null;
}

const VERIFY_PAGE = 1000;

/**
 * Seals what is committed, then recomputes the chain from `from` to `to`
 * (inclusive; defaults: the genesis entry and the head) and reports the
 * first entry whose stored hash differs from the recomputed one, whose
 * prev_hash is not its predecessor's hash, or that is missing. A segment
 * that does not start at 1 is anchored on the stored hash of the entry
 * before it. An entry the sealer refused breaks the chain where it would
 * have gone, after the head.
 */
export async function verifyAuditChain(bounds: { from?: bigint; to?: bigint } = {}): Promise<ChainVerdict> {
  const { refused } = await sealAuditChain();
  const from = bounds.from ?? 1n;
  const head =
    (await db().auditEntry.findFirst({ where: { seq: { not: null } }, orderBy: { seq: "desc" }, select: { seq: true } }))?.seq ?? 0n;
  const to = bounds.to ?? head;
  const segment = { segmentFrom: from, segmentTo: to < from ? from : to };
  const clean = { ok: true, divergentSeq: null, expectedHash: null, observedHash: null, refusedEntryId: null, ...segment };
  const broken = (divergentSeq: bigint, expectedHash: string | null = null, observedHash: string | null = null) => ({
    ok: false,
    divergentSeq,
    expectedHash,
    observedHash,
    refusedEntryId: null,
    ...segment,
  });
  // A forgery waiting at the head breaks every segment that reaches it (the default does).
  const atRefusal =
    refused && (bounds.to === undefined || refused.seq <= bounds.to) ? { ...broken(refused.seq), refusedEntryId: refused.id } : null;
  if (head === 0n || from > head) return atRefusal ?? clean;

  let prev = GENESIS_PREV_HASH;
  if (from > 1n) {
    const before = await db().auditEntry.findUnique({ where: { seq: from - 1n }, select: { hash: true } });
    prev = before?.hash ?? "";
  }
  let expectedSeq = from;
  for (;;) {
    const rows: Row[] = await db().auditEntry.findMany({
      where: { seq: { gte: expectedSeq, lte: to } },
      orderBy: { seq: "asc" },
      take: VERIFY_PAGE,
      select: SELECTED,
    });
    for (const row of rows) {
      const seq = row.seq!;
      // A removed entry leaves a gap: the first missing seq is the divergence, not the entry after it.
      if (seq !== expectedSeq) return broken(expectedSeq);
      const expected = entryHash(prev, { ...row, seq });
      // MACs are checked when an entry is sealed, not here: a sealed entry is the chain's to vouch for,
      // and a rotated auth secret must not break the whole trail.
      if (row.prevHash !== prev || row.hash !== expected) return broken(seq, expected, isHex(row.hash) ? row.hash : null);
      prev = row.hash;
      expectedSeq += 1n;
    }
    if (rows.length < VERIFY_PAGE) break;
  }
  // Entries removed from the end of the segment (the head included) leave it short.
  if (expectedSeq <= segment.segmentTo && expectedSeq <= head) return broken(expectedSeq);
  return atRefusal ?? clean;
}

const isHex = (value: string | null): value is string => value !== null && /^[0-9a-f]{64}$/.test(value);
