import "server-only";
import type { Db, Tx } from "@/lib/db/client";

/**
 * Replaces a user's memberships in the IdP groups of one binding with the
 * groups whose `idp_claim_value` is among `claimValues` (the groups claim of
 * this sign-in). Manual memberships and other bindings' groups are left
 * alone. Claim values no group maps are ignored: an admin decides which IdP
 * groups mean something here by creating a group for them.
 * Returns the group ids joined and left, for the audit trail.
 */
export async function syncIdpMemberships(
  client: Db | Tx,
  input: { userId: string; bindingId: string; claimValues: readonly string[] },
): Promise<{ joined: string[]; left: string[] }> {
  const mapped = await client.group.findMany({
    where: { source: "idp", idpBindingId: input.bindingId },
    select: { id: true, idpClaimValue: true },
  });
  const wanted = new Set(mapped.filter((g) => g.idpClaimValue !== null && input.claimValues.includes(g.idpClaimValue)).map((g) => g.id));
  const current = await client.groupMember.findMany({
    where: { userId: input.userId, source: "idp", group: { idpBindingId: input.bindingId } },
    select: { groupId: true },
  });
  const have = new Set(current.map((m) => m.groupId));
  const left = [...have].filter((id) => !wanted.has(id));
  const joined = [...wanted].filter((id) => !have.has(id));
  if (left.length > 0) {
    await client.groupMember.deleteMany({ where: { userId: input.userId, groupId: { in: left } } });
  }
  if (joined.length > 0) {
    await client.groupMember.createMany({
      data: joined.map((groupId) => ({ groupId, userId: input.userId, source: "idp" })),
      skipDuplicates: true,
    });
  }
  return { joined, left };
}
