import "server-only";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { check, type Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { NotFoundError } from "@/lib/errors";
import { DEFAULT_DOMAIN_ID, findDomain } from "@/lib/tenancy/domain";
import { canonicalBytes, sealAuditChain } from "./chain";
import { auditText } from "./entry";
import type { ChainFilters, ChainReason } from "./filters";
import { subjectPseudonyms } from "./pseudonym";
import { deny } from "./service";

/**
 * The contract's chain reads (GET /v1/domains/{id}/audit/entries[/{seq}],
 * GET /v1/platform/audit/entries[/{seq}]): the sealed audit entries in chain
 * order, each with its hashes, and one entry with the bytes its hash covers
 * so a client can recompute it:
 *
 *   entry_hash = sha256(prev_hash || sha256(canonical_bytes))
 *
 * The console keeps ONE chain (lib/audit/chain.ts), for its one Domain; the
 * platform chain and the Domain's chain are that same chain, read under two
 * addresses (a cursor is bound to the address it was minted for). Reading
 * it is what the contract calls `auditor`: here platform#manage, as for the
 * Audit page, GET /v1/audit/entries and verify.
 */
export type ChainAddress = { domainId: string } | { platform: true };

/** Denial reasons an entry can carry that the contract names; any other denial reads `unknown`. */
const DENIAL_REASONS = ["out_of_scope", "insufficient_relation", "caveat_violation"] as const;

export interface ChainEntryView {
  seq: bigint;
  domainId: string;
  occurredAt: Date;
  reason: ChainReason;
  subject: { pseudonym: string; identityIdRef: string | null };
  relation: string;
  object: { type: string; id: string };
  decision: { result: string };
  correlationId: string;
  entryHash: string;
  prevHash: string;
}

export interface ChainEntryProof {
  prevHash: string;
  entryHash: string;
  canonicalBytes: Buffer;
}

/** Proof that the actor may read the chain at this address; the only way to `list` it and read one `entry`. */
export interface AuditChainReader {
  /** Cursors are minted for this name and refused under any other. */
  readonly chain: string;
  list(filters: ChainFilters, page: { limit: number; afterSeq?: bigint }): Promise<{ items: ChainEntryView[]; next?: bigint }>;
  entry(seq: bigint): Promise<{ entry: ChainEntryView; proof: ChainEntryProof }>;
}

export const auditEntryNotFound = () => new NotFoundError("audit_entry_not_found", "There is no audit entry with this seq.");

/**
 * The list's gate: platform#manage, asked before the Domain id is looked at
 * (an outsider learns nothing of which Domains exist), then the Domain (404).
 */
export async function authorizeAuditChainRead(actor: Actor, address: ChainAddress): Promise<AuditChainReader> {
  const target = "platform" in address ? { type: "platform", id: PLATFORM_ID } : { type: "domain", id: address.domainId };
  if (!(await check(actor, "manage", { platform: PLATFORM_ID }))) throw await deny(actor.id, "audit.read", target);
  return reader(address);
}

/**
 * The one-entry read's gate: the contract has no 403 here, so a caller who
 * may not read the chain is told the entry does not exist (the denial is
 * still recorded), and so is one naming another Domain.
 */
export async function authorizeAuditEntryRead(actor: Actor, address: ChainAddress): Promise<AuditChainReader> {
  const target = "platform" in address ? { type: "platform", id: PLATFORM_ID } : { type: "domain", id: address.domainId };
  if (!(await check(actor, "manage", { platform: PLATFORM_ID }))) {
    await deny(actor.id, "audit.read", target);
    throw auditEntryNotFound();
  }
  try {
    return reader(address);
  } catch {
    throw auditEntryNotFound();
  }
}

function reader(address: ChainAddress): AuditChainReader {
  const chain = "platform" in address ? "platform" : `domain:${findDomain(address.domainId).id}`;
  return {
    chain,
    list: (filters, page) => listChain(filters, page),
    entry: (seq) => readEntry(seq),
  };
}

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
} as const;
type Row = Prisma.AuditEntryGetPayload<{ select: typeof SELECTED }>;

async function listChain(filters: ChainFilters, page: { limit: number; afterSeq?: bigint }) {
  // What is committed is sealed first, so an entry written just before the read is in it.
  await sealAuditChain();
  const pseudonymOf = await subjectPseudonyms();
  const subject = filters.subject === undefined ? undefined : await actorsWithPseudonym(filters.subject, pseudonymOf);
  if (subject && subject.length === 0) return { items: [] };
  const where: Prisma.AuditEntryWhereInput = {
    seq: { not: null, ...(page.afterSeq !== undefined ? { gt: page.afterSeq } : {}) },
    ...(subject ? { OR: subject.map((actorId) => ({ actorId })) } : {}),
    ...(filters.relation !== undefined ? { action: filters.relation } : {}),
    ...(filters.objectType !== undefined ? { targetType: filters.objectType } : {}),
    ...(filters.objectId !== undefined ? { targetId: filters.objectId } : {}),
    ...(filters.correlationId !== undefined ? { correlationId: filters.correlationId } : {}),
    ...(filters.from || filters.to
      ? { at: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lte: filters.to } : {}) } }
      : {}),
    ...(filters.reason ? reasonCondition(filters.reason) : {}),
  };
  const rows = await db().auditEntry.findMany({ where, orderBy: { seq: "asc" }, take: page.limit + 1, select: SELECTED });
  const items = rows.slice(0, page.limit).map((r) => toView(r, pseudonymOf));
  return { items, ...(rows.length > page.limit ? { next: items[items.length - 1].seq } : {}) };
}

async function readEntry(seq: bigint) {
  await sealAuditChain();
  const row = await db().auditEntry.findUnique({ where: { seq }, select: SELECTED });
  if (!row || row.seq === null || row.hash === null || row.prevHash === null) throw auditEntryNotFound();
  const entry = toView(row, await subjectPseudonyms());
  return { entry, proof: { prevHash: row.prevHash, entryHash: row.hash, canonicalBytes: canonicalBytes({ ...row, seq: row.seq }) } };
}

function reasonOf(row: { outcome: string; reason: string | null }): ChainReason {
  if (row.outcome === "succeeded") return "granted";
  const denial = DENIAL_REASONS.find((r) => r === row.reason);
  return row.outcome === "denied" && denial ? denial : "unknown";
}

/** `reasonOf`, as a condition on the rows (they must agree). */
function reasonCondition(reason: ChainReason): Prisma.AuditEntryWhereInput {
  if (reason === "granted") return { outcome: "succeeded" };
  if (reason !== "unknown") return { outcome: "denied", reason };
  return { outcome: { not: "succeeded" }, NOT: { outcome: "denied", reason: { in: [...DENIAL_REASONS] } } };
}

/**
 * The actors whose pseudonym this is: the pseudonym cannot be inverted, so
 * candidates are hashed and compared, one HMAC each. The people who have
 * accounts first (a table the size of the organisation); only a pseudonym
 * none of them has (someone since removed, whose entries keep their id)
 * costs a pass over the trail's distinct actors. `null` stands for the
 * system's entries.
 */
async function actorsWithPseudonym(pseudonym: string, pseudonymOf: (actorId: string | null) => string): Promise<(string | null)[]> {
  if (pseudonymOf(null) === pseudonym) return [null];
  const people = await db().user.findMany({ select: { id: true } });
  const person = people.find((u) => pseudonymOf(u.id) === pseudonym);
  if (person) return [person.id];
  const actors = await db().$queryRaw<{ actorId: string }[]>`
    SELECT DISTINCT actor_id::text AS "actorId" FROM audit_entries WHERE actor_id IS NOT NULL`;
  return actors.filter((a) => pseudonymOf(a.actorId) === pseudonym).map((a) => a.actorId);
}

function toView(row: Row, pseudonymOf: (actorId: string | null) => string): ChainEntryView {
  return {
    seq: row.seq!,
    domainId: DEFAULT_DOMAIN_ID,
    occurredAt: row.at,
    reason: reasonOf(row),
    subject: { pseudonym: pseudonymOf(row.actorId), identityIdRef: row.actorId },
    // Our entries name the action taken (or, for a denial, the permission that was missing: `cloud#manage`).
    relation: auditText(row.action),
    object: { type: auditText(row.targetType), id: auditText(row.targetId) },
    decision: { result: row.outcome },
    correlationId: auditText(row.correlationId),
    entryHash: row.hash!,
    prevHash: row.prevHash!,
  };
}
