import "server-only";
import { recordAudit } from "@/lib/audit/service";
import type { Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";
import { hasControlCharacters } from "@/lib/validation";
import type { SecretStore } from "@/lib/vault";
import { lockCredential, revokeLiveAssignments } from "@/lib/assignments/cascade";
import { managedCredential, reloadCredential } from "./read";
import { oweSecretDeletion, tryCompleteSecretDeletion } from "./revocations";
import type { CredentialView } from "./row";
import { REASON_MAX } from "@/lib/limits";

type RevokeDependencies = { store?: SecretStore; now?: () => Date };

/** Proof that the actor may revoke one credential; the only way to reach `revoke`. */
export interface CredentialRevoker {
  readonly credentialId: string;
  readonly cloudId: string;
  revoke(reason: string): Promise<CredentialView>;
}

/** Needs `manage` on the owning Cloud, read from the row; a caller who may not see it is told the credential does not exist. */
export async function authorizeRevoke(actor: Actor, credentialId: string, deps: RevokeDependencies = {}): Promise<CredentialRevoker> {
  const owner = await managedCredential(actor, credentialId);
  return { credentialId: owner.id, cloudId: owner.cloudId, revoke: (reason) => revoke(actor, owner, reason, deps) };
}

/** Both steps at once, for callers that hold the reason already (the console's action, tests). */
export async function revokeCloudCredential(
  actor: Actor,
  credentialId: string,
  reason: string,
  deps: RevokeDependencies = {},
): Promise<CredentialView> {
  return (await authorizeRevoke(actor, credentialId, deps)).revoke(reason);
}

/**
 * Revokes a credential. One transaction, holding the credential row's lock
 * (the order approvals lock in too): stamps revoked_at once, revokes its live
 * assignments, and owes the secrets engine a soft delete of the secret
 * (lib/credentials/revocations.ts). The delete is tried once right after the
 * commit; if the engine does not answer, the credential comes back revoked
 * with `secretRevocation: "pending"` and the outbox worker finishes it.
 * Idempotent; a repeat also retries a pending delete.
 */
async function revoke(
  actor: Actor,
  owner: { id: string; cloudId: string },
  reason: string,
  deps: RevokeDependencies,
): Promise<CredentialView> {
  const credentialId = owner.id;
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > REASON_MAX || hasControlCharacters(trimmed)) {
    throw new ValidationError("invalid_revoke_reason", `Give a reason of 1–${REASON_MAX} characters.`, { reason: "Give a reason." });
  }
  const now = deps.now?.() ?? new Date();
  const revokedNow = await db().$transaction(async (tx) => {
    const locked = await lockCredential(tx, credentialId);
    if (!locked || locked.revokedAt) return false;
    await tx.cloudCredential.update({ where: { id: credentialId }, data: { revokedAt: now, revokeReason: trimmed, updatedAt: now } });
    const target = { type: "cloud_credential", id: credentialId };
    await recordAudit(
      { actorId: actor.id, action: "credential.revoke", target, cloudId: owner.cloudId, outcome: "succeeded", reason: trimmed },
      tx,
    );
    await revokeLiveAssignments(tx, owner, actor.id, `credential revoked: ${trimmed}`, now);
    await oweSecretDeletion(tx, credentialId, "revoke");
    return true;
  });
  const deletion = await tryCompleteSecretDeletion(credentialId, { store: deps.store });
  if (revokedNow)
    log.info("cloud_credential.revoked", {
      credential_id: credentialId,
      cloud_id: owner.cloudId,
      actor_id: actor.id,
      secret_revocation: deletion,
    });
  return reloadCredential(credentialId, now);
}
