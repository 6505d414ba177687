import "server-only";
import { recordAudit } from "@/lib/audit/service";
import type { Db, Tx } from "@/lib/db/client";

/**
 * Who changed a membership: an administrator by hand (the admin API and the
 * Groups page), or the sign-in of the member through an identity provider,
 * whose groups claim keeps their IdP groups in step.
 */
export type MembershipChangeSource = { by: "admin"; actorId: string } | { by: "idp_sync"; bindingAlias: string };

/**
 * The audit entry of one membership added or removed. Both sources write the
 * same two actions; the reason says which source it was, so the trail reads
 * "user <id>" for an administrator's change and "user <id>; IdP sign-in sync
 * of <alias>" for one made at sign-in (whose actor is the member).
 */
export async function recordMembershipChange(
  client: Db | Tx,
  change: { groupId: string; userId: string; added: boolean; source: MembershipChangeSource },
): Promise<void> {
  const { groupId, userId, added, source } = change;
  await recordAudit(
    {
      actorId: source.by === "admin" ? source.actorId : userId,
      action: added ? "group.member_add" : "group.member_remove",
      target: { type: "group", id: groupId },
      outcome: "succeeded",
      reason: source.by === "admin" ? `user ${userId}` : `user ${userId}; IdP sign-in sync of ${source.bindingAlias}`,
    },
    client,
  );
}

/**
 * Replaces a user's memberships in the IdP groups of one binding with the
 * groups whose `idp_claim_value` is among `claimValues` (the groups claim of
 * this sign-in). Manual memberships and other bindings' groups are left
 * alone. Claim values no group maps are ignored: an admin decides which IdP
 * groups mean something here by creating a group for them.
 * Each change is audited as `group.member_add` / `group.member_remove`
 * from the IdP sign-in sync of `bindingAlias`. Returns the group ids joined
 * and left.
 */
export async function syncIdpMemberships(
  client: Db | Tx,
  input: { userId: string; bindingId: string; bindingAlias: string; claimValues: readonly string[] },
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
  const source = { by: "idp_sync" as const, bindingAlias: input.bindingAlias };
  for (const groupId of joined) await recordMembershipChange(client, { groupId, userId: input.userId, added: true, source });
  for (const groupId of left) await recordMembershipChange(client, { groupId, userId: input.userId, added: false, source });
  return { joined, left };
}
