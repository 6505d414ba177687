import "server-only";
import { recordAudit } from "@/lib/audit/service";
import type { Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { ConflictError, ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";
import { credentialSecretPath, isSecretVersionConflict, secretStore, type SecretStore } from "@/lib/vault";
import type { WrittenCredential } from "./issue";
import { assertExpiryInRange } from "./issue";
import { recordExpiryChange } from "./lifecycle";
import { getCloudCredential, managedCredential, reloadCredential } from "./read";
import { oweSecretDeletion, tryCompleteSecretDeletion } from "./revocations";
import type { CredentialView } from "./row";
import { MAX_PAYLOAD_BYTES } from "./schema";
import { checkProviderShapeOfCloud, shapeNote, type ShapeCheck } from "./shape";

/**
 * Rotation to new material. Needs `manage` on the owning Cloud, read from
 * the row, before any secret input is looked at: `authorizeRotate` asks it
 * and hands back the only way to `rotate`.
 */
export interface RotateInput {
  expectedVersion: number;
  payload: Uint8Array;
  keyValues: Record<string, string>;
  /** A new expiry with the new material (renew on rotate); same rule as issue. Absent keeps the current one. */
  expiresAt?: Date;
  /** See lib/credentials/shape.ts. */
  allowUnusualShape?: boolean;
  /** What an unusual shape costs through this door (shape.ts): the console refuses (the default), /v1 advises. */
  shapeCheck?: ShapeCheck;
}

/** Proof that the actor may rotate one credential; the only way to reach `rotate`. */
export interface CredentialRotator {
  readonly credential: CredentialView;
  rotate(input: RotateInput): Promise<WrittenCredential>;
}

export async function authorizeRotate(actor: Actor, credentialId: string, deps: { store?: SecretStore } = {}): Promise<CredentialRotator> {
  await managedCredential(actor, credentialId);
  const credential = await getCloudCredential(actor, credentialId);
  return { credential, rotate: (input) => rotate(actor, credential, input, deps) };
}

/**
 * The row is the lock: its version moves N → N+1 only if it still is N
 * (and neither revoked nor expired); then the secret's next KV version is
 * written with cas N. If that write fails the row goes back to N, so the two
 * never disagree about the current version. An expired credential is not
 * rotated: its secret is being deleted, and new material would outlive that.
 */
async function rotate(
  actor: Actor,
  credential: CredentialView,
  input: RotateInput,
  deps: { store?: SecretStore },
): Promise<WrittenCredential> {
  if (input.payload.byteLength === 0 || input.payload.byteLength > MAX_PAYLOAD_BYTES) {
    throw new ValidationError("invalid_payload", `The payload must be 1–${MAX_PAYLOAD_BYTES} bytes.`, {
      payload: `The payload must be 1–${MAX_PAYLOAD_BYTES} bytes.`,
    });
  }
  const now = new Date();
  if (input.expiresAt) assertExpiryInRange(input.expiresAt, now);
  const shape = await checkProviderShapeOfCloud(credential.cloudId, { payload: input.payload, keyValues: input.keyValues }, input);
  const claimed = await db().cloudCredential.updateMany({
    where: { id: credential.id, version: input.expectedVersion, revokedAt: null, expiredAt: null, expiresAt: { gt: now } },
    data: { version: input.expectedVersion + 1, updatedAt: now, ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}) },
  });
  if (claimed.count === 0) {
    const current = await db().cloudCredential.findUniqueOrThrow({
      where: { id: credential.id },
      select: { revokedAt: true, expiredAt: true, expiresAt: true },
    });
    if (current.revokedAt) throw new ConflictError("credential_revoked", "A revoked credential cannot be rotated.");
    if (current.expiredAt || current.expiresAt.getTime() <= now.getTime()) {
      throw new ConflictError("credential_expired", "An expired credential cannot be rotated; issue a new one.");
    }
    throw new ConflictError("credential_cas_conflict", "The credential changed since you loaded it; reload and try again.");
  }
  const store = deps.store ?? (await secretStore());
  try {
    await store.update(
      credentialSecretPath(credential.cloudId, credential.id),
      { payload: input.payload, keyValues: input.keyValues },
      input.expectedVersion,
    );
  } catch (error) {
    await db().cloudCredential.updateMany({
      where: { id: credential.id, version: input.expectedVersion + 1 },
      data: { version: input.expectedVersion, updatedAt: credential.updatedAt, expiresAt: credential.expiresAt },
    });
    // The store may be another bundle's copy (lib/vault/index.ts): a brand check, not instanceof.
    if (isSecretVersionConflict(error)) {
      log.error("cloud_credential.version_drift", { credential_id: credential.id, expected_version: input.expectedVersion });
      throw new ConflictError("credential_cas_conflict", "The secrets engine holds another version; nothing was changed.");
    }
    throw error;
  }
  // A revoke (or the expiry sweep) that landed between our claim and the write may already have
  // deleted the old latest version; the one just written must not outlive it, so the deletion is
  // owed again (a new generation, which a delete still in flight for the old version cannot close).
  const after = await db().cloudCredential.findUniqueOrThrow({
    where: { id: credential.id },
    select: { revokedAt: true, expiredAt: true },
  });
  if (after.revokedAt || after.expiredAt) {
    await db().$transaction((tx) => oweSecretDeletion(tx, credential.id, after.revokedAt ? "revoke" : "expiry"));
    await tryCompleteSecretDeletion(credential.id, { store });
    if (after.revokedAt) throw new ConflictError("credential_revoked", "The credential was revoked while it was being rotated.");
    throw new ConflictError("credential_expired", "The credential expired while it was being rotated.");
  }
  await recordAudit({
    actorId: actor.id,
    action: "credential.rotate",
    target: { type: "cloud_credential", id: credential.id },
    cloudId: credential.cloudId,
    outcome: "succeeded",
    reason: [`version ${input.expectedVersion} → ${input.expectedVersion + 1}`, shapeNote(shape)].filter(Boolean).join("; "),
  });
  if (input.expiresAt && input.expiresAt.getTime() !== credential.expiresAt.getTime())
    await recordExpiryChange(actor, credential, input.expiresAt);
  const rotated = await reloadCredential(credential.id);
  return shape.warning ? { ...rotated, shapeWarning: shape.warning } : rotated;
}
