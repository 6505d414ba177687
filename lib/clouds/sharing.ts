import "server-only";
import { recordAudit } from "@/lib/audit/service";
import { authorize, grant, type Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { ConflictError, ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";

/**
 * Sharing a Cloud: its managers grant `manage` or `observer` on it to other
 * users and take them back. The last manager cannot be removed, so a Cloud
 * always has someone who can issue and revoke under it.
 */
export type CloudRelation = "manage" | "observer";

export interface CloudGrant {
  userId: string;
  email: string;
  relation: CloudRelation;
}

export async function listCloudGrants(actor: Actor, cloudId: string): Promise<CloudGrant[]> {
  await authorize(actor, "observe", { cloud: cloudId });
  const tuples = await db().relationTuple.findMany({ where: { objectType: "cloud", objectId: cloudId, subjectType: "user" }, orderBy: { createdAt: "asc" } });
  const emails = new Map((await db().user.findMany({ where: { id: { in: tuples.map((t) => t.subjectId) } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]));
  return tuples.map((t) => ({ userId: t.subjectId, email: emails.get(t.subjectId) ?? "(deleted user)", relation: t.relation as CloudRelation }));
}

export async function shareCloud(actor: Actor, cloudId: string, email: string, relation: CloudRelation): Promise<void> {
  await authorize(actor, "manage", { cloud: cloudId });
  if (relation !== "manage" && relation !== "observer") throw new ValidationError("invalid_relation", "relation must be manage or observer");
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw new ValidationError("unknown_user", "No account has this email.", { email: "No account has this email." });
  await db().$transaction(async (tx) => {
    await grant(tx, { type: "cloud", id: cloudId }, relation, user.id);
    await recordAudit({ actorId: actor.id, action: "relation.grant", target: { type: "cloud", id: cloudId }, cloudId, outcome: "succeeded", reason: `${relation} to ${user.id}` }, tx);
  });
}

export async function unshareCloud(actor: Actor, cloudId: string, userId: string, relation: CloudRelation): Promise<void> {
  await authorize(actor, "manage", { cloud: cloudId });
  if (!isUuid(cloudId) || !isUuid(userId) || (relation !== "manage" && relation !== "observer")) {
    throw new ValidationError("invalid_body", "unknown user or relation");
  }
  await db().$transaction(async (tx) => {
    // Two managers removing each other at once must not both pass the count below.
    await tx.$queryRaw`SELECT id FROM clouds WHERE id = ${cloudId}::uuid FOR UPDATE`;
    if (relation === "manage") {
      const managers = await tx.relationTuple.count({ where: { objectType: "cloud", objectId: cloudId, relation: "manage" } });
      if (managers <= 1) throw new ConflictError("last_manager", "A Cloud needs at least one manager; add another before removing this one.");
    }
    const { count } = await tx.relationTuple.deleteMany({ where: { objectType: "cloud", objectId: cloudId, relation, subjectType: "user", subjectId: userId } });
    if (count > 0) {
      await recordAudit({ actorId: actor.id, action: "relation.revoke", target: { type: "cloud", id: cloudId }, cloudId, outcome: "succeeded", reason: `${relation} from ${userId}` }, tx);
    }
  });
}
