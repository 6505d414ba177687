import type { z } from "zod";
import type { ChainEntryProof, ChainEntryView } from "@/lib/audit/chain-read";
import type { auditChainEntryProofSchema, auditChainEntrySchema } from "./audit-chain-schemas";

/** An entry of the chain as the contract's AuditEntry: fields listed one by one, nothing spread from the row. */
export function chainEntryToWire(entry: ChainEntryView): z.infer<typeof auditChainEntrySchema> {
  return {
    seq: Number(entry.seq),
    domain_id: entry.domainId,
    occurred_at: entry.occurredAt.toISOString(),
    reason: entry.reason,
    subject: {
      pseudonym: entry.subject.pseudonym,
      ...(entry.subject.identityIdRef ? { identity_id_ref: entry.subject.identityIdRef } : {}),
    },
    relation: entry.relation,
    object: { type: entry.object.type, id: entry.object.id },
    // Entries record no caveats and no request context: both present, empty.
    decision: { result: entry.decision.result, caveat_context: {} },
    correlation_id: entry.correlationId,
    request_context: {},
    entry_hash: entry.entryHash,
    prev_hash: entry.prevHash,
  };
}

export function chainEntryProofToWire(read: { entry: ChainEntryView; proof: ChainEntryProof }): z.infer<typeof auditChainEntryProofSchema> {
  return {
    entry: chainEntryToWire(read.entry),
    proof: {
      prev_hash: read.proof.prevHash,
      entry_hash: read.proof.entryHash,
      canonical_bytes: read.proof.canonicalBytes.toString("base64"),
    },
  };
}
