import { z } from "zod";
import { CHAIN_REASONS } from "@/lib/audit/filters";

/**
 * /v1 wire shapes of the audit chain reads (the newest contract's AuditEntry,
 * AuditEntryList and the one-entry proof; here AuditChainEntry… because
 * `AuditEntry` names GET /v1/audit/entries' older shape) and of the
 * erase-identity body. Re-exported by ./schemas.ts so /v1/openapi.json lists them.
 */
const uuid = z.string().uuid();
const timestamp = z.string().datetime({ offset: true });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const auditChainEntrySchema = z
  .object({
    seq: z.number().int().min(1),
    domain_id: uuid,
    occurred_at: timestamp,
    reason: z.enum(CHAIN_REASONS),
    subject: z.object({
      pseudonym: sha256Hex.meta({ description: "HMAC-SHA256 of the actor under a server key: the same actor, the same pseudonym." }),
      identity_id_ref: uuid.optional().meta({ description: "The acting user's id; absent for entries the system wrote." }),
    }),
    relation: z
      .string()
      .meta({ description: "The action recorded (credential.issue, …), or for a denial the missing permission (cloud#manage)." }),
    object: z.object({ type: z.string(), id: z.string() }),
    decision: z.object({
      result: z.string().meta({ description: "succeeded, denied or failed." }),
      caveat_context: z.record(z.string(), z.array(z.string())),
    }),
    correlation_id: z.string(),
    request_context: z.object({ ip: z.string().optional(), user_agent: z.string().optional() }),
    entry_hash: sha256Hex,
    prev_hash: sha256Hex,
  })
  .meta({ id: "AuditChainEntry", description: "One sealed entry of the audit chain (the contract's AuditEntry)." });

export const auditChainEntryListSchema = z
  .object({ items: z.array(auditChainEntrySchema), next_cursor: z.string().optional() })
  .meta({ id: "AuditChainEntryList", description: "A page of the chain in seq order; next_cursor is absent on a short page." });

export const auditChainEntryProofSchema = z
  .object({
    entry: auditChainEntrySchema,
    proof: z.object({
      prev_hash: sha256Hex,
      entry_hash: sha256Hex,
      canonical_bytes: z.string().meta({
        description:
          "Base64 of the bytes the entry's hash covers: entry_hash = sha256(prev_hash || sha256(canonical_bytes)), hashes as bytes.",
      }),
    }),
  })
  .meta({ id: "AuditChainEntryProof" });

export const auditEraseIdentityRequestSchema = z.object({ identity_id: uuid }).strict().meta({ id: "AuditEraseIdentityRequest" });
