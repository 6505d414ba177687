import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import type { SecretRevocationState } from "./revocations";
import { credentialStatus, type CredentialStatus } from "./status";

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

/**
 * A credential's metadata as every statement selects it (`CREDENTIAL_COLUMNS`
 * over `cloud_credentials c` joined to `REVOCATION r`): the one row shape,
 * turned into a view by `toView` alone.
 */
export type CredentialRow = Omit<CredentialView, "status" | "secretRevocation"> & {
  revocationOwed: boolean;
  revocationCompletedAt: Date | null;
};

export const CREDENTIAL_COLUMNS = Prisma.sql`
  c.id::text AS id, c.cloud_id::text AS "cloudId", c.display_name AS "displayName", c.version,
  c.expires_at AS "expiresAt", c.expired_at AS "expiredAt", c.revoked_at AS "revokedAt",
  c.secret_missing_at AS "secretMissingAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  (r.credential_id IS NOT NULL) AS "revocationOwed", r.completed_at AS "revocationCompletedAt"`;

/**
 * The row's outbox state, looked up row by row through the primary key
 * (LIMIT 1 keeps the planner from hashing the whole outbox instead).
 */
export const REVOCATION = Prisma.sql`LATERAL (SELECT r.credential_id, r.completed_at FROM secret_revocations r WHERE r.credential_id = c.id LIMIT 1) r`;

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
    secretRevocation: row.revocationOwed ? (row.revocationCompletedAt ? "complete" : "pending") : null,
  };
}
