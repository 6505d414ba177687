import "server-only";
import { grant } from "@/lib/authz/service";
import { permissionSchema, type ObjectType } from "@/lib/authz/schema";
import type { Tx } from "@/lib/db/client";

/**
 * Minimal invitation redemption for SSO's "invited" JIT policy. The
 * invitations feature owns the full version of this file; this one only
 * marks a pending invitation accepted and grants its initial tuples.
 */
export async function redeemInvitationByEmail(tx: Tx, input: { email: string; userId: string }): Promise<boolean> {
  const invitation = await tx.invitation.findFirst({
    where: { email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
  if (!invitation) return false;
  const { count } = await tx.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null },
    data: { acceptedAt: new Date(), acceptedUserId: input.userId },
  });
  if (count === 0) return false;
  const tuples = Array.isArray(invitation.initialTuples) ? invitation.initialTuples : [];
  for (const tuple of tuples) {
    if (!tuple || typeof tuple !== "object" || Array.isArray(tuple)) continue;
    const { object, relation } = tuple as { object?: unknown; relation?: unknown };
    if (typeof object !== "string" || typeof relation !== "string") continue;
    const [type, id] = object.split(":", 2);
    if (type === "group" && id) {
      await tx.groupMember.createMany({ data: [{ groupId: id, userId: input.userId, source: "manual" }], skipDuplicates: true });
    } else if (Object.hasOwn(permissionSchema, type) && id && (permissionSchema[type as ObjectType].relations as readonly string[]).includes(relation)) {
      await grant(tx, { type: type as ObjectType, id }, relation as never, input.userId);
    }
  }
  return true;
}
