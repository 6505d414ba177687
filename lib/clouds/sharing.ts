import "server-only";
import { recordAudit } from "@/lib/audit/service";
import { authorize, grant, type Actor, type SubjectType } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { ConflictError, ValidationError } from "@/lib/errors";
import { normaliseEmail } from "@/lib/names";
import { isUuid } from "@/lib/validation";

/**
 * Sharing a Cloud: its managers grant `manage` or `observer` on it to other
 * users or groups and take them back. The last manager cannot be removed, so a Cloud
 * always has someone who can issue and revoke under it.
 */
export type CloudRelation = "manage" | "observer";

export interface CloudGrant {
  /** A user's or a group's id, as `subjectType` says. */
  userId: string;
  subjectType: SubjectType;
  /** The user's email, or the group's name. */
  email: string;
  relation: CloudRelation;
}

export async function listCloudGrants(actor: Actor, cloudId: string): Promise<CloudGrant[]> {
  await authorize(actor, "observe", { cloud: cloudId });
  const tuples = await db().relationTuple.findMany({
    where: { objectType: "cloud", objectId: cloudId, subjectType: { in: ["user", "group"] } },
    orderBy: { createdAt: "asc" },
  });
  const ids = (type: string) => tuples.filter((t) => t.subjectType === type).map((t) => t.subjectId);
  const emails = new Map(
    (await db().user.findMany({ where: { id: { in: ids("user") } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
  );
  const groups = new Map(
    (await db().group.findMany({ where: { id: { in: ids("group") } }, select: { id: true, displayName: true } })).map((g) => [
      g.id,
      g.displayName,
    ]),
  );
  return tuples.map((t) => ({
    userId: t.subjectId,
    subjectType: t.subjectType === "group" ? "group" : "user",
    email:
      t.subjectType === "group" ? `group ${groups.get(t.subjectId) ?? "(deleted group)"}` : (emails.get(t.subjectId) ?? "(deleted user)"),
    relation: t.relation as CloudRelation,
  }));
}

/** Shares the Cloud with every member of a group, now and later; managers only. */
export async function shareCloudWithGroup(actor: Actor, cloudId: string, groupId: string, relation: CloudRelation): Promise<void> {
  await authorize(actor, "manage", { cloud: cloudId });
  if (relation !== "manage" && relation !== "observer")
    throw new ValidationError("invalid_relation", "relation must be manage or observer");
  const group = isUuid(groupId) ? await db().group.findUnique({ where: { id: groupId.toLowerCase() }, select: { id: true } }) : null;
  if (!group) throw new ValidationError("unknown_group", "There is no such group.", { group: "Choose an existing group." });
  await db().$transaction(async (tx) => {
    await grant(tx, { type: "cloud", id: cloudId }, relation, { type: "group", id: group.id });
    await recordAudit(
      {
        actorId: actor.id,
        action: "relation.grant",
        target: { type: "cloud", id: cloudId },
        cloudId,
        outcome: "succeeded",
        reason: `${relation} to group:${group.id}`,
      },
      tx,
    );
  });
}

export async function shareCloud(actor: Actor, cloudId: string, email: string, relation: CloudRelation): Promise<void> {
  await authorize(actor, "manage", { cloud: cloudId });
  if (relation !== "manage" && relation !== "observer")
    throw new ValidationError("invalid_relation", "relation must be manage or observer");
  const user = await db().user.findUnique({ where: { email: normaliseEmail(email) }, select: { id: true } });
  if (!user) throw new ValidationError("unknown_user", "No account has this email.", { email: "No account has this email." });
  await db().$transaction(async (tx) => {
    await grant(tx, { type: "cloud", id: cloudId }, relation, user.id);
    await recordAudit(
      {
        actorId: actor.id,
        action: "relation.grant",
        target: { type: "cloud", id: cloudId },
        cloudId,
        outcome: "succeeded",
        reason: `${relation} to ${user.id}`,
      },
      tx,
    );
  });
}

export async function unshareCloud(
  actor: Actor,
  cloudId: string,
  userId: string,
  relation: CloudRelation,
  subjectType: SubjectType = "user",
): Promise<void> {
  await authorize(actor, "manage", { cloud: cloudId });
  if (!isUuid(cloudId) || !isUuid(userId) || (relation !== "manage" && relation !== "observer")) {
    throw new ValidationError("invalid_body", "unknown user or relation");
  }
  await db().$transaction(async (tx) => {
    // Two managers removing each other at once must not both pass the count below.
    await tx.$queryRaw`SELECT id FROM clouds WHERE id = ${cloudId}::uuid FOR UPDATE`;
    if (relation === "manage") {
      const managers = await tx.relationTuple.count({ where: { objectType: "cloud", objectId: cloudId, relation: "manage" } });
      if (managers <= 1)
        throw new ConflictError("last_manager", "A Cloud needs at least one manager; add another before removing this one.");
    }
    const { count } = await tx.relationTuple.deleteMany({
      where: { objectType: "cloud", objectId: cloudId, relation, subjectType, subjectId: userId },
    });
    if (count > 0) {
      const from = subjectType === "group" ? `group:${userId}` : userId;
      await recordAudit(
        {
          actorId: actor.id,
          action: "relation.revoke",
          target: { type: "cloud", id: cloudId },
          cloudId,
          outcome: "succeeded",
          reason: `${relation} from ${from}`,
        },
        tx,
      );
    }
  });
}
