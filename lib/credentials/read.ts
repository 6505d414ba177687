import "server-only";
import { authorize, authorizeOrHide, denial, permissionCondition, type Actor } from "@/lib/authz/service";
import { db, queryRows } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { NotFoundError } from "@/lib/errors";
import { finishPage, type Page } from "@/lib/lists/keyset";
import { isUuid } from "@/lib/validation";
import { cloudCredentialsSql, credentialPosition, type CloudCredentialQuery, type CredentialCursor } from "./list";
import { CREDENTIAL_COLUMNS, REVOCATION, toView, type CredentialRow, type CredentialView } from "./row";

export type { CredentialView } from "./row";
export type { CredentialCursor, CredentialStatusFilter } from "./list";

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
  const [row] = await queryRows<CredentialRow & { allowed: boolean }>(Prisma.sql`
    SELECT ${CREDENTIAL_COLUMNS}, ${permissionCondition(Prisma.sql`${actor.id}`, "observe", "cloud", Prisma.sql`c.cloud_id`)} AS allowed
      FROM cloud_credentials c LEFT JOIN ${REVOCATION} ON TRUE
     WHERE c.id = ${credentialId}::uuid`);
  if (!row) throw credentialNotFound();
  if (!row.allowed) {
    // Recorded, then answered as for an absent id: whoever may not see the Cloud learns nothing of what it holds.
    await denial(actor, "observe", { type: "cloud", id: row.cloudId });
    throw credentialNotFound();
  }
  return toView(row);
}

/** The current metadata of a credential the caller already holds a permit for (after a write). */
export async function reloadCredential(credentialId: string, now = new Date()): Promise<CredentialView> {
  const [row] = await queryRows<CredentialRow>(Prisma.sql`
    SELECT ${CREDENTIAL_COLUMNS} FROM cloud_credentials c LEFT JOIN ${REVOCATION} ON TRUE WHERE c.id = ${credentialId}::uuid`);
  if (!row) throw credentialNotFound();
  return toView(row, now);
}

/**
 * The credential's Cloud, read from the row, once `actor` may manage it:
 * the check every permit on one credential (rotate, revoke, edit, test)
 * starts from. Absent and unseen credentials are answered alike.
 */
export async function managedCredential(actor: Actor, credentialId: string): Promise<{ id: string; cloudId: string }> {
  const id = isUuid(credentialId) ? credentialId.toLowerCase() : undefined;
  const row = id ? await db().cloudCredential.findUnique({ where: { id }, select: { cloudId: true } }) : null;
  if (!id || !row) throw credentialNotFound();
  await authorizeOrHide(actor, "manage", { cloud: row.cloudId }, credentialNotFound);
  return { id, cloudId: row.cloudId };
}

/**
 * One keyset page of a Cloud's credentials; needs `observe` on the Cloud.
 * The /v1 list (creation order, `after`) and the Cloud page (newest first,
 * both directions, status filter, name search) are this one function with
 * different options. Filter, search and order run in the database.
 */
export async function listCloudCredentials(
  actor: Actor,
  cloudId: string,
  options: Omit<CloudCredentialQuery, "cloudId">,
): Promise<Page<CredentialView, CredentialCursor>> {
  await authorize(actor, "observe", { cloud: cloudId });
  if (!isUuid(cloudId)) return { items: [] };
  const now = options.now ?? new Date();
  const { sql, backwards } = cloudCredentialsSql({ ...options, cloudId, now });
  const rows = await db().$queryRaw<CredentialRow[]>(sql);
  return finishPage(rows, options.limit, backwards, Boolean(options.after ?? options.before), (r) => toView(r, now), credentialPosition);
}
