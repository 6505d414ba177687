import "server-only";
import { v7 as uuidv7 } from "uuid";
import { auditEntryData, recordAudit } from "@/lib/audit/service";
import { authorize, authorizeOrHide, denial, permissionCondition, questionKey, type Actor, type Preauthorization } from "@/lib/authz/service";
import { db, queryRows } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";
import { hasControlCharacters, isUuid } from "@/lib/validation";
import { credentialSecretPath, secretStore, type SecretStore } from "@/lib/vault";
import { EXPIRY_RANGE_MESSAGE, MAX_PAYLOAD_BYTES, credentialDisplayNameSchema, expiryIsInRange, type IssueCredentialInput } from "./schema";
import { lockCredential, revokeLiveAssignments } from "@/lib/assignments/cascade";
import { oweSecretDeletion, tryCompleteSecretDeletion, type SecretRevocationState } from "./revocations";
import { checkProviderShape, shapeNote, type CloudShapePolicy } from "./shape";
import { credentialStatus, type CredentialStatus } from "./status";
import { queryCloudCredentials, type CloudCredentialQuery, type CredentialCursor } from "./list";
import type { Page } from "@/lib/lists/keyset";

/** The metadata projection: the only shape a credential ever leaves the service in. */
export interface CredentialView {
  id: string;
  cloudId: string;
  displayName: string;
  version: number;
  status: CredentialStatus;
  expiresAt: Date;
  expiredAt: Date | null;
  revokedAt: Date | null;
  /**
   * Set by the reconciler (lib/reconcile) when the secrets engine no longer
   * holds this credential's material; cleared if it comes back. The status
   * stays what the contract defines, and Test reports the loss.
   */
  secretMissingAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /**
   * Whether the secrets engine has soft-deleted the material a revoke or an
   * expiry owes it: `pending` means it is still in the engine and being
   * retried. Null while nothing is owed.
   */
  secretRevocation: SecretRevocationState | null;
}

type CredentialRow = Omit<CredentialView, "status" | "secretRevocation"> & { secretRevocation: { completedAt: Date | null } | null };

export function toView(row: CredentialRow, now = new Date()): CredentialView {
  return {
    id: row.id,
    cloudId: row.cloudId,
    displayName: row.displayName,
    version: row.version,
    status: credentialStatus(row, now),
    expiresAt: row.expiresAt,
    expiredAt: row.expiredAt,
    revokedAt: row.revokedAt,
    secretMissingAt: row.secretMissingAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    secretRevocation: row.secretRevocation ? (row.secretRevocation.completedAt ? "complete" : "pending") : null,
  };
}

export const VIEW_COLUMNS = {
  id: true,
  cloudId: true,
  displayName: true,
  version: true,
  expiresAt: true,
  expiredAt: true,
  revokedAt: true,
  secretMissingAt: true,
  createdAt: true,
  updatedAt: true,
  secretRevocation: { select: { completedAt: true } },
} as const;

/** Seams for tests that inject failures or time; production uses the defaults. */
export interface IssueDependencies {
  store?: SecretStore;
  now?: () => Date;
  newId?: () => string;
}

/** A credential just written, and the shape warning its door asked for (shape.ts); never part of a read. */
export type WrittenCredential = CredentialView & { shapeWarning?: string };

/** Proof that the actor may issue under one Cloud; the only way to reach `issue`. */
export interface CredentialIssuer {
  readonly cloudId: string;
  issue(input: IssueCredentialInput): Promise<WrittenCredential>;
}

/**
 * The question issuing asks, as one SQL expression on a user id: the Cloud's
 * provider (with ` strict` when its managers turned strict shape checking
 * on) when the Cloud exists and the user holds `manage` on it, else NULL. The /v1 issue route asks it in the same query that reads the bearer
 * token (lib/api/route.ts), so issuing costs one query before the secret is
 * written, provider shape check included; a server action asks it here.
 */
export function issueQuestion(cloudId: string): Preauthorization | undefined {
  if (!isUuid(cloudId)) return undefined;
  return {
    key: `issue:${questionKey("manage", { type: "cloud", id: cloudId })}`,
    condition: (subject) =>
      Prisma.sql`(SELECT c.provider::text || CASE WHEN c.strict_payload_shape THEN ' strict' ELSE '' END FROM clouds c WHERE c.id = ${cloudId}::uuid AND ${permissionCondition(subject, "manage", "cloud", Prisma.sql`c.id`)})`,
  };
}

/**
 * Step one of issuing: check `manage` on the Cloud before anything reads the
 * secret. A Cloud that does not exist is denied exactly like one the actor
 * may not manage.
 */
export async function authorizeIssue(actor: Actor, cloudId: string, deps: IssueDependencies = {}): Promise<CredentialIssuer> {
  const question = issueQuestion(cloudId);
  let provider = question ? actor.answered?.get(question.key) : null;
  if ((provider === undefined || provider === null) && question) {
    const [row] = await db().$queryRaw<{ provider: string | null }[]>`SELECT ${question.condition(Prisma.sql`${actor.id}`)} AS provider`;
    provider = row?.provider ?? null;
  }
  if (typeof provider !== "string") throw await denial(actor, "manage", { type: "cloud", id: cloudId });
  const [name, strict] = provider.split(" ");
  const policy: CloudShapePolicy = { provider: name, strictPayloadShape: strict === "strict" };
  return { cloudId, issue: (input) => issue(actor, cloudId, policy, input, deps) };
}

/**
 * Step two: write the material as version 1 (cas 0) at a path made of ids,
 * then commit the metadata row. If the row cannot commit, the secret is
 * destroyed again, so neither side is left without the other.
 */
async function issue(actor: Actor, cloudId: string, cloud: CloudShapePolicy, input: IssueCredentialInput, deps: IssueDependencies): Promise<WrittenCredential> {
  const now = deps.now?.() ?? new Date();
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + env().credentialDefaultTtlDays * 86_400_000);
  const displayName = assertIssuable(input, expiresAt, now);

  const shape = checkProviderShape(cloud, { payload: input.payload, keyValues: input.keyValues }, input);

  const store = deps.store ?? (await secretStore());
  const id = deps.newId?.() ?? uuidv7();
  const path = credentialSecretPath(cloudId, id);
  const written = await store.create(path, { payload: input.payload, keyValues: input.keyValues });

  try {
    // The row and its audit entry in one statement: atomic without a transaction's four round trips.
    const audit = await auditEntryData({ actorId: actor.id, action: "credential.issue", target: { type: "cloud_credential", id }, cloudId, outcome: "succeeded", reason: shapeNote(shape) });
    const [row] = await queryRows<RawCredentialRow>(Prisma.sql`
      WITH credential AS (
        INSERT INTO cloud_credentials (id, cloud_id, display_name, version, expires_at, issued_by_id, created_at, updated_at)
        VALUES (${id}::uuid, ${cloudId}::uuid, ${displayName}, ${written.version}, ${expiresAt}, ${actor.id}::uuid, ${now}, ${now})
        RETURNING id, cloud_id, display_name, version, expires_at, expired_at, revoked_at, secret_missing_at, created_at, updated_at
      ), entry AS (
        INSERT INTO audit_entries (id, at, actor_id, action, target_type, target_id, cloud_id, outcome, reason, correlation_id, repeat_count, mac)
        SELECT ${audit.id}::uuid, ${audit.at}, ${audit.actorId}::uuid, ${audit.action}, ${audit.targetType}, ${audit.targetId}, credential.cloud_id, ${audit.outcome},
               ${audit.reason}, ${audit.correlationId}, ${audit.repeatCount}, ${audit.mac}
          FROM credential
      )
      SELECT credential.*, FALSE AS owes_engine, NULL::timestamptz AS revocation_completed_at FROM credential`);
    log.info("cloud_credential.issued", { credential_id: id, cloud_id: cloudId, actor_id: actor.id });
    return { ...toView(fromRaw(row), now), ...(shape.warning ? { shapeWarning: shape.warning } : {}) };
  } catch (error) {
    await store.destroy(path).catch(() => {
      // The row is gone and so is our chance to retry: say which id to clean up, nothing more.
      log.error("cloud_credential.orphaned_secret", { credential_id: id, cloud_id: cloudId });
    });
    throw error;
  }
}

/** The service's own guard, whatever door the input came through; returns the trimmed name. */
function assertIssuable(input: IssueCredentialInput, expiresAt: Date, now: Date): string {
  const checked = credentialDisplayNameSchema.safeParse(input.displayName);
  if (!checked.success) {
    throw new ValidationError("invalid_display_name", "The display name must be 1–256 printable characters, not blank.", {
      display_name: checked.error.issues[0]?.message ?? "Enter a display name.",
    });
  }
  const name = checked.data;
  if (input.payload.byteLength === 0 || input.payload.byteLength > MAX_PAYLOAD_BYTES) {
    throw new ValidationError("invalid_payload", `The payload must be 1–${MAX_PAYLOAD_BYTES} bytes.`, {
      payload: `The payload must be 1–${MAX_PAYLOAD_BYTES} bytes.`,
    });
  }
  assertExpiryInRange(expiresAt, now);
  return name;
}

/** Issue, edit and rotate share the one expiry rule (schema.ts `expiryIsInRange`) and its refusal. */
export function assertExpiryInRange(expiresAt: Date, now: Date): void {
  if (!expiryIsInRange(expiresAt, now)) {
    throw new ValidationError("invalid_expiry", "The expiry must be in the future and at most a year ahead.", { expires_on: EXPIRY_RANGE_MESSAGE });
  }
}

/** An absent credential, and one the caller may not see, are answered alike (lib/authz/service.ts authorizeOrHide). */
export const credentialNotFound = () => new NotFoundError("cloud_credential_not_found", "This credential does not exist.");

/**
 * One credential. The owning Cloud is read from the row, never taken from
 * the caller, and `observe` on it is required: asked of the row in the same
 * query that reads it, so a read is this query and the caller's
 * authentication. A denial is recorded like any other.
 */
export async function getCloudCredential(actor: Actor, credentialId: string): Promise<CredentialView> {
  if (!isUuid(credentialId)) throw credentialNotFound();
  const [row] = await queryRows<RawCredentialRow & { allowed: boolean }>(Prisma.sql`
    SELECT cc.id, cc.cloud_id, cc.display_name, cc.version, cc.expires_at, cc.expired_at, cc.revoked_at, cc.secret_missing_at,
           cc.created_at, cc.updated_at, sr.credential_id IS NOT NULL AS owes_engine, sr.completed_at AS revocation_completed_at,
           ${permissionCondition(Prisma.sql`${actor.id}`, "observe", "cloud", Prisma.sql`cc.cloud_id`)} AS allowed
      FROM cloud_credentials cc LEFT JOIN secret_revocations sr ON sr.credential_id = cc.id
     WHERE cc.id = ${credentialId}::uuid`);
  if (!row) throw credentialNotFound();
  if (!row.allowed) {
    // Recorded, then answered as for an absent id: whoever may not see the Cloud learns nothing of what it holds.
    await denial(actor, "observe", { type: "cloud", id: row.cloud_id });
    throw credentialNotFound();
  }
  return toView(fromRaw(row));
}

interface RawCredentialRow {
  id: string;
  cloud_id: string;
  display_name: string;
  version: number;
  expires_at: Date;
  expired_at: Date | null;
  revoked_at: Date | null;
  secret_missing_at: Date | null;
  created_at: Date;
  updated_at: Date;
  owes_engine: boolean;
  revocation_completed_at: Date | null;
}

function fromRaw(row: RawCredentialRow): CredentialRow {
  return {
    id: row.id,
    cloudId: row.cloud_id,
    displayName: row.display_name,
    version: row.version,
    expiresAt: row.expires_at,
    expiredAt: row.expired_at,
    revokedAt: row.revoked_at,
    secretMissingAt: row.secret_missing_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    secretRevocation: row.owes_engine ? { completedAt: row.revocation_completed_at } : null,
  };
}

export type { CredentialCursor, CredentialStatusFilter } from "./list";

/**
 * One keyset page of a Cloud's credentials; needs `observe` on the Cloud.
 * The /v1 list (creation order, `after`) and the Cloud page (newest first,
 * both directions, status filter, name search) both read through here.
 */
export async function listCloudCredentialsPage(
  actor: Actor,
  cloudId: string,
  options: Omit<CloudCredentialQuery, "cloudId" | "now">,
): Promise<Page<CredentialView, CredentialCursor>> {
  await authorize(actor, "observe", { cloud: cloudId });
  if (!isUuid(cloudId)) return { items: [] };
  return queryCloudCredentials({ ...options, cloudId });
}

/**
 * Revokes a credential. One transaction, holding the credential row's lock
 * (the order approvals lock in too): stamps revoked_at once, revokes its live
 * assignments, and owes the secrets engine a soft delete of the secret
 * (lib/credentials/revocations.ts). The delete is tried once right after the
 * commit; if the engine does not answer, the credential comes back revoked
 * with `secretRevocation: "pending"` and the outbox worker finishes it.
 * Needs `manage` on the owning Cloud, read from the row. Idempotent; a
 * repeat also retries a pending delete.
 */
export async function revokeCloudCredential(
  actor: Actor,
  credentialId: string,
  reason: string,
  deps: { store?: SecretStore; now?: () => Date } = {},
): Promise<CredentialView> {
  const existing = isUuid(credentialId)
    ? await db().cloudCredential.findUnique({ where: { id: credentialId }, select: { cloudId: true } })
    : null;
  if (!existing) throw credentialNotFound();
  await authorizeOrHide(actor, "manage", { cloud: existing.cloudId }, credentialNotFound);
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > 1024 || hasControlCharacters(trimmed)) {
    throw new ValidationError("invalid_revoke_reason", "Give a reason of 1–1024 characters.", { reason: "Give a reason." });
  }
  const now = deps.now?.() ?? new Date();
  const revokedNow = await db().$transaction(async (tx) => {
    const locked = await lockCredential(tx, credentialId);
    if (!locked || locked.revokedAt) return false;
    await tx.cloudCredential.update({ where: { id: credentialId }, data: { revokedAt: now, revokeReason: trimmed, updatedAt: now } });
    const target = { type: "cloud_credential", id: credentialId };
    await recordAudit({ actorId: actor.id, action: "credential.revoke", target, cloudId: existing.cloudId, outcome: "succeeded", reason: trimmed }, tx);
    await revokeLiveAssignments(tx, { id: credentialId, cloudId: existing.cloudId }, actor.id, `credential revoked: ${trimmed}`, now);
    await oweSecretDeletion(tx, credentialId, "revoke");
    return true;
  });
  const deletion = await tryCompleteSecretDeletion(credentialId, { store: deps.store });
  if (revokedNow) log.info("cloud_credential.revoked", { credential_id: credentialId, cloud_id: existing.cloudId, actor_id: actor.id, secret_revocation: deletion });
  const row = await db().cloudCredential.findUniqueOrThrow({ where: { id: credentialId }, select: VIEW_COLUMNS });
  return toView(row, now);
}
