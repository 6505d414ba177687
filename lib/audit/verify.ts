import "server-only";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { check, type Actor } from "@/lib/authz/service";
import { findDomain } from "@/lib/tenancy/domain";
import { verifyAuditChain, type ChainVerdict } from "./chain";
import { deny, recordAudit } from "./service";

/**
 * POST /v1/domains/{id}/audit/verify and the Audit page's verdict: platform
 * admins only (checked before the Domain id, so a stranger learns nothing
 * about which ids exist). Every run is itself recorded, so a finding of
 * tampering stays in the trail it was found in.
 */
export interface ChainBounds {
  from?: bigint;
  to?: bigint;
}

/** Proof that the actor may verify the Domain's audit chain (platform#manage); the only way to reach `verify`. */
export interface AuditVerifier {
  readonly domainId: string;
  verify(bounds: ChainBounds): Promise<ChainVerdict>;
}

export async function authorizeAuditVerify(actor: Actor, domainId: string): Promise<AuditVerifier> {
  if (!(await check(actor, "manage", { platform: PLATFORM_ID })))
    throw await deny(actor.id, "audit.verify", { type: "domain", id: domainId });
  const domain = findDomain(domainId);
  return { domainId: domain.id, verify: (bounds) => verify(actor, { type: "domain", id: domain.id }, bounds) };
}

/**
 * POST /v1/platform/audit/verify: the console keeps one chain (lib/audit/chain-read.ts),
 * so the platform's verdict is the Domain's, asked and recorded against the platform.
 */
export async function authorizePlatformAuditVerify(actor: Actor): Promise<Omit<AuditVerifier, "domainId">> {
  const target = { type: "platform", id: PLATFORM_ID };
  if (!(await check(actor, "manage", { platform: PLATFORM_ID }))) throw await deny(actor.id, "audit.verify", target);
  return { verify: (bounds) => verify(actor, target, bounds) };
}

/** Both steps at once; the bounds are read (from a request body) only once the caller is known to be allowed. */
export async function verifyAuditTrail(
  actor: Actor,
  domainId: string,
  readBounds: () => Promise<ChainBounds> = async () => ({}),
): Promise<ChainVerdict> {
  const verifier = await authorizeAuditVerify(actor, domainId);
  return verifier.verify(await readBounds());
}

async function verify(actor: Actor, target: { type: string; id: string }, bounds: ChainBounds): Promise<ChainVerdict> {
  const verdict = await verifyAuditChain(bounds);
  await recordAudit({
    actorId: actor.id,
    action: "audit.verify",
    target,
    outcome: "succeeded",
    reason: verdict.ok
      ? `chain intact from seq ${verdict.segmentFrom} to ${verdict.segmentTo}`
      : verdict.refusedEntryId
        ? `sealing stopped at seq ${verdict.divergentSeq}: entry ${verdict.refusedEntryId} carries no valid MAC`
        : `chain diverges at seq ${verdict.divergentSeq} (checked ${verdict.segmentFrom} to ${verdict.segmentTo})`,
  });
  return verdict;
}
