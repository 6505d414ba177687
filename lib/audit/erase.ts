import "server-only";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { check, type Actor } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { findDomain } from "@/lib/tenancy/domain";
import type { ChainAddress } from "./chain-read";
import { deny } from "./service";

/**
 * POST …/audit/erase-identity. The contract's erasure drops a PII mapping
 * (pseudonym -> identity) and leaves the chain intact. This console has no
 * such mapping to drop: each entry records its actor's id itself, under the
 * entry's MAC and its chain hash (lib/audit/mac.ts, chain.ts), and the table
 * refuses every UPDATE (its migration). Removing the id would break the
 * chain it is meant to keep, so the operation answers 501
 * audit_not_provisioned, after the gate (platform#manage, the Domain's
 * `manage` here) and the body, so callers learn nothing more than that.
 */
export interface IdentityEraser {
  erase(identityId: string): Promise<never>;
}

export const auditNotProvisioned = () =>
  new DomainError(
    "audit_not_provisioned",
    "This server cannot erase an identity from its audit trail: entries record the actor's id under their MAC and chain hash.",
    501,
  );

export async function authorizeIdentityErasure(actor: Actor, address: ChainAddress): Promise<IdentityEraser> {
  const target = "platform" in address ? { type: "platform", id: PLATFORM_ID } : { type: "domain", id: address.domainId };
  if (!(await check(actor, "manage", { platform: PLATFORM_ID }))) throw await deny(actor.id, "audit.erase_identity", target);
  if (!("platform" in address)) findDomain(address.domainId);
  return {
    erase: async () => {
      throw auditNotProvisioned();
    },
  };
}
