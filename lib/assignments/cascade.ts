import "server-only";
import { recordOnCloudObject } from "@/lib/audit/service";
import type { Tx } from "@/lib/db/client";

/**
 * A credential that stops being usable takes its live assignments with it:
 * requested and approved ones become revoked, each recorded. Runs inside the
 * transaction that stamps the credential revoked or expired, after that
 * transaction locked the credential row, the same order an approval locks in
 * (credential, then assignment), so neither can slip past the other.
 */
export async function revokeLiveAssignments(
  tx: Tx,
  credential: { id: string; cloudId: string },
  decidedBy: string | null,
  why: string,
  now: Date,
): Promise<string[]> {
  const live = await tx.credentialAssignment.findMany({
    where: { cloudCredentialId: credential.id, state: { in: ["requested", "approved"] } },
    select: { id: true, projectId: true },
  });
  if (live.length === 0) return [];
  await tx.credentialAssignment.updateMany({
    where: { id: { in: live.map((a) => a.id) } },
    data: { state: "revoked", decidedById: decidedBy, decidedAt: now, reason: why, updatedAt: now },
  });
  for (const assignment of live) {
    const revoked = { type: "credential_assignment", id: assignment.id, cloudId: credential.cloudId } as const;
    await recordOnCloudObject(tx, "assignment.revoke", revoked, {
      actorId: decidedBy,
      reason: `project=${assignment.projectId} credential=${credential.id}: ${why}`,
    });
  }
  return live.map((a) => a.id);
}

/** Locks the credential row for the rest of the transaction; undefined when there is none. */
export async function lockCredential(
  tx: Tx,
  credentialId: string,
): Promise<{ id: string; cloudId: string; revokedAt: Date | null; expiredAt: Date | null; expiresAt: Date } | undefined> {
  const [row] = await tx.$queryRaw<{ id: string; cloudId: string; revokedAt: Date | null; expiredAt: Date | null; expiresAt: Date }[]>`
    SELECT id::text AS id, cloud_id::text AS "cloudId", revoked_at AS "revokedAt", expired_at AS "expiredAt", expires_at AS "expiresAt"
    FROM cloud_credentials WHERE id = ${credentialId}::uuid FOR UPDATE`;
  return row;
}
