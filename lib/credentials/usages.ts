import "server-only";
import { recordAudit } from "@/lib/audit/service";
import { authorizeOrHide, check, denial, type Actor } from "@/lib/authz/service";
import { lockCredential } from "@/lib/assignments/cascade";
import { db } from "@/lib/db/client";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import { credentialNotFound, managedCredential } from "./read";

/**
 * The Clouds a credential serves: its home Cloud (the credential row's
 * cloud_id, which anchors the secret's path) and the usage Clouds attached
 * over /v1/cloud-credentials/{id}/clouds (cloud_credential_usages). What an
 * attachment changes is this list, and what a Cloud's deletion sees (a
 * Cloud that still serves a credential is not empty); reading, rotating or
 * revoking the credential is still decided on its home Cloud alone.
 */
export const cloudNotFound = () => new NotFoundError("cloud_not_found", "This Cloud does not exist.");

const cannotDetachHome = () =>
  new ConflictError("cannot_detach_home_cloud", "A credential's home Cloud holds its secret and cannot be detached.");
const revokedCredential = () => new ConflictError("cloud_credential_revoked", "A revoked credential cannot be attached to further Clouds.");

export interface CloudUsagePage {
  items: { cloudId: string }[];
  /** The last cloud_id of a full page; absent at the end. */
  next?: string;
}

/**
 * One cloud_id-ordered page of the Clouds a credential serves. Needs
 * `observe` on its home Cloud (read from the row); whoever may not see that
 * Cloud is told the credential does not exist, and the denial is recorded.
 */
export async function listCredentialClouds(
  actor: Actor,
  credentialId: string,
  page: { limit: number; after?: string },
): Promise<CloudUsagePage> {
  const id = isUuid(credentialId) ? credentialId.toLowerCase() : undefined;
  const row = id ? await db().cloudCredential.findUnique({ where: { id }, select: { cloudId: true } }) : null;
  if (!id || !row) throw credentialNotFound();
  await authorizeOrHide(actor, "observe", { cloud: row.cloudId }, credentialNotFound);
  const after = page.after && isUuid(page.after) ? page.after.toLowerCase() : null;
  const rows = await db().$queryRaw<{ cloudId: string }[]>`
    SELECT cloud_id::text AS "cloudId" FROM (
      SELECT cloud_id FROM cloud_credentials WHERE id = ${id}::uuid
      UNION
      SELECT cloud_id FROM cloud_credential_usages WHERE credential_id = ${id}::uuid
    ) served
    WHERE ${after}::uuid IS NULL OR cloud_id > ${after}::uuid
    ORDER BY cloud_id
    LIMIT ${page.limit + 1}`;
  const items = rows.slice(0, page.limit);
  return { items, ...(rows.length > page.limit ? { next: items[items.length - 1].cloudId } : {}) };
}

/** Proof that the actor manages the credential's home Cloud; the only way to reach `attach`. */
export interface CloudAttacher {
  readonly credentialId: string;
  readonly homeCloudId: string;
  /** Needs `manage` on the target Cloud too; idempotent (the home Cloud, or one already attached, is answered as attached). */
  attach(cloudId: string): Promise<{ cloudId: string }>;
}

/**
 * `manage` on the credential's home Cloud, asked before the body (which
 * names the target Cloud) is read. A caller who may not even observe the
 * home Cloud is told the credential does not exist.
 */
export async function authorizeAttach(actor: Actor, credentialId: string): Promise<CloudAttacher> {
  const owner = await managedCredential(actor, credentialId);
  return { credentialId: owner.id, homeCloudId: owner.cloudId, attach: (cloudId) => attach(actor, owner, cloudId) };
}

async function attach(actor: Actor, owner: { id: string; cloudId: string }, rawCloudId: string): Promise<{ cloudId: string }> {
  const cloudId = rawCloudId.toLowerCase();
  // The target Cloud: absent, or one the caller cannot see, is cloud_not_found; one they only observe is a 403.
  const exists = await db().cloud.findUnique({ where: { id: cloudId }, select: { id: true } });
  if (!exists) throw cloudNotFound();
  await authorizeOrHide(actor, "manage", { cloud: cloudId }, cloudNotFound);
  await db().$transaction(async (tx) => {
    // The row lock orders this against a revoke: a credential revoked a moment ago cannot pick up a Cloud after it.
    const locked = await lockCredential(tx, owner.id);
    if (!locked) throw credentialNotFound();
    if (locked.revokedAt) throw revokedCredential();
    if (cloudId === owner.cloudId) return;
    const created = await tx.cloudCredentialUsage.createMany({
      data: [{ credentialId: owner.id, cloudId, attachedById: actor.id }],
      skipDuplicates: true,
    });
    if (created.count === 0) return;
    await recordAudit(
      {
        actorId: actor.id,
        action: "credential.cloud_attach",
        target: { type: "cloud_credential", id: owner.id },
        cloudId: owner.cloudId,
        outcome: "succeeded",
        reason: `now also serves Cloud ${cloudId}`,
      },
      tx,
    );
  });
  return { cloudId };
}

/** Proof that the actor manages the credential's home Cloud or the usage Cloud; the only way to reach `detach`. */
export interface CloudDetacher {
  readonly credentialId: string;
  readonly cloudId: string;
  /** Idempotent: an edge that is not there is detached already. The home Cloud is refused (409 cannot_detach_home_cloud). */
  detach(): Promise<void>;
}

/**
 * `manage` on EITHER the credential's home Cloud OR the usage Cloud (so the
 * usage Cloud's owner can take their Cloud back). A caller who manages
 * neither is refused (recorded); one who cannot even observe the home Cloud
 * or the usage Cloud is told the credential does not exist.
 */
export async function authorizeDetach(actor: Actor, credentialId: string, cloudId: string): Promise<CloudDetacher> {
  const id = isUuid(credentialId) ? credentialId.toLowerCase() : undefined;
  const row = id ? await db().cloudCredential.findUnique({ where: { id }, select: { cloudId: true } }) : null;
  if (!id || !row) throw credentialNotFound();
  const target = cloudId.toLowerCase();
  const owner = { id, cloudId: row.cloudId };
  if ((await check(actor, "manage", { cloud: row.cloudId })) || (await check(actor, "manage", { cloud: target })))
    return { credentialId: id, cloudId: target, detach: () => detach(actor, owner, target) };
  const denied = await denial(actor, "manage", { type: "cloud", id: row.cloudId });
  if ((await check(actor, "observe", { cloud: row.cloudId })) || (await check(actor, "observe", { cloud: target }))) throw denied;
  throw credentialNotFound();
}

async function detach(actor: Actor, owner: { id: string; cloudId: string }, cloudId: string): Promise<void> {
  if (cloudId === owner.cloudId) throw cannotDetachHome();
  await db().$transaction(async (tx) => {
    const removed = await tx.cloudCredentialUsage.deleteMany({ where: { credentialId: owner.id, cloudId } });
    if (removed.count === 0) return;
    await recordAudit(
      {
        actorId: actor.id,
        action: "credential.cloud_detach",
        target: { type: "cloud_credential", id: owner.id },
        cloudId: owner.cloudId,
        outcome: "succeeded",
        reason: `no longer serves Cloud ${cloudId}`,
      },
      tx,
    );
  });
}
