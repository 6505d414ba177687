import "server-only";
import { v7 as uuidv7 } from "uuid";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/service";
import { type PlatformManager } from "@/lib/authz/service";
import { db, uniqueViolation } from "@/lib/db/client";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { findDomain } from "@/lib/tenancy/domain";
import { normaliseEmail } from "@/lib/names";
import { createGroupSchema, groupNameSchema } from "./group-rules";
import { isUuid } from "@/lib/validation";
import { recordMembershipChange } from "./groups";

/**
 * Groups, administered by platform admins: local (`manual`) groups whose
 * members are added by hand, and IdP groups that stand for one value of a
 * binding's groups claim (their members are synchronised at each sign-in,
 * lib/identity/groups.ts). Every change is audited.
 */
export { GROUP_SLUG, createGroupSchema } from "./group-rules";

export interface GroupView {
  id: string;
  slug: string;
  displayName: string;
  source: "manual" | "idp";
  idpBindingId: string | null;
  idpClaimValue: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MembershipView {
  groupId: string;
  userId: string;
  source: "manual" | "idp";
  createdAt: Date;
}

const GROUP_COLUMNS = {
  id: true,
  slug: true,
  displayName: true,
  source: true,
  idpBindingId: true,
  idpClaimValue: true,
  createdAt: true,
  updatedAt: true,
} as const;
const asView = (g: { source: string } & Omit<GroupView, "source">): GroupView => ({ ...g, source: g.source === "idp" ? "idp" : "manual" });

async function findGroup(groupId: string): Promise<GroupView> {
  const group = isUuid(groupId) ? await db().group.findUnique({ where: { id: groupId.toLowerCase() }, select: GROUP_COLUMNS }) : null;
  if (!group) throw new NotFoundError("group_not_found", "There is no group with this id.");
  return asView(group);
}

export async function listGroups(
  actor: PlatformManager,
  page: { limit: number; afterSlug?: string } = { limit: 200 },
): Promise<{ items: GroupView[]; nextSlug?: string }> {
  const rows = await db().group.findMany({
    where: page.afterSlug ? { slug: { gt: page.afterSlug } } : {},
    orderBy: { slug: "asc" },
    take: page.limit + 1,
    select: GROUP_COLUMNS,
  });
  const items = rows.slice(0, page.limit).map(asView);
  return { items, nextSlug: rows.length > page.limit ? items.at(-1)?.slug : undefined };
}

export async function getGroup(actor: PlatformManager, groupId: string): Promise<GroupView> {
  return findGroup(groupId);
}

export async function createGroup(
  actor: PlatformManager,
  input: z.input<typeof createGroupSchema> & { domainId?: string },
): Promise<GroupView> {
  if (input.domainId !== undefined) findDomain(input.domainId);
  const parsed = createGroupSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError("invalid_group", issue?.message ?? "invalid group", {
      [String(issue?.path[0] ?? "slug")]: issue?.message ?? "invalid",
    });
  }
  const g = parsed.data;
  if (g.source === "idp") {
    const binding = await db().idpBinding.findUnique({ where: { id: g.idpBindingId!.toLowerCase() }, select: { id: true } });
    if (!binding)
      throw new ValidationError("unknown_idp_binding", "There is no identity provider binding with this id.", {
        idpBindingId: "Choose an existing binding.",
      });
  }
  try {
    return await db().$transaction(async (tx) => {
      const group = await tx.group.create({
        data: {
          id: uuidv7(),
          slug: g.slug,
          displayName: g.displayName,
          source: g.source,
          idpBindingId: g.source === "idp" ? g.idpBindingId!.toLowerCase() : null,
          idpClaimValue: g.source === "idp" ? g.idpClaimValue! : null,
        },
        select: GROUP_COLUMNS,
      });
      await recordAudit(
        {
          actorId: actor.id,
          action: "group.create",
          target: { type: "group", id: group.id },
          outcome: "succeeded",
          reason: `${g.source} ${g.slug}`,
        },
        tx,
      );
      return asView(group);
    });
  } catch (error) {
    const violated = uniqueViolation(error);
    if (violated === "groups_slug_key")
      throw new ConflictError("group_slug_conflict", "A group with this slug already exists.", {
        slug: "A group with this slug already exists.",
      });
    if (violated === "groups_idp_binding_id_idp_claim_value_key") {
      throw new ConflictError("group_claim_conflict", "Another group already maps this claim value of this binding.", {
        idpClaimValue: "Another group already maps this claim value.",
      });
    }
    throw error;
  }
}

export async function renameGroup(actor: PlatformManager, groupId: string, displayName: string): Promise<GroupView> {
  const group = await findGroup(groupId);
  const checked = groupNameSchema.safeParse(displayName);
  if (!checked.success) {
    throw new ValidationError("invalid_group", "A group's name is 1 to 128 printable characters.", {
      displayName: checked.error.issues[0]?.message ?? "1 to 128 characters.",
    });
  }
  const name = checked.data;
  return db().$transaction(async (tx) => {
    const updated = await tx.group.update({ where: { id: group.id }, data: { displayName: name }, select: GROUP_COLUMNS });
    await recordAudit({ actorId: actor.id, action: "group.update", target: { type: "group", id: group.id }, outcome: "succeeded" }, tx);
    return asView(updated);
  });
}

/** Deletes the group, its memberships and every tuple that names it as subject. */
export async function deleteGroup(actor: PlatformManager, groupId: string): Promise<void> {
  const group = await findGroup(groupId);
  await db().$transaction(async (tx) => {
    await tx.relationTuple.deleteMany({ where: { subjectType: "group", subjectId: group.id } });
    await tx.group.delete({ where: { id: group.id } });
    await recordAudit(
      { actorId: actor.id, action: "group.delete", target: { type: "group", id: group.id }, outcome: "succeeded", reason: group.slug },
      tx,
    );
  });
}

export async function listMemberships(
  actor: PlatformManager,
  groupId: string,
): Promise<(MembershipView & { email: string; displayName: string })[]> {
  const group = await findGroup(groupId);
  const rows = await db().groupMember.findMany({
    where: { groupId: group.id },
    orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
    select: { groupId: true, userId: true, source: true, createdAt: true, user: { select: { email: true, displayName: true } } },
  });
  return rows.map((m) => ({
    groupId: m.groupId,
    userId: m.userId,
    source: m.source === "idp" ? "idp" : "manual",
    createdAt: m.createdAt,
    email: m.user.email,
    displayName: m.user.displayName,
  }));
}

/**
 * Adds a user to the group. The membership's source must be the group's
 * (409 source-conflict): an IdP group's members normally come from sign-in.
 */
export async function addMembership(
  actor: PlatformManager,
  groupId: string,
  input: { userId?: string; email?: string; source?: "manual" | "idp" },
): Promise<MembershipView> {
  const group = await findGroup(groupId);
  const source = input.source ?? group.source;
  if (source !== group.source)
    throw new ConflictError(
      "source-conflict",
      `This group's members are ${group.source === "idp" ? "synchronised from the identity provider" : "added by hand"}` +
        `; the membership's source must be ${group.source}.`,
    );
  const where =
    input.userId !== undefined
      ? isUuid(input.userId)
        ? { id: input.userId.toLowerCase() }
        : undefined
      : { email: normaliseEmail(input.email ?? "") };
  const user = where ? await db().user.findUnique({ where, select: { id: true } }) : null;
  if (!user) throw new ValidationError("unknown_principal", "No account has this id or email.", { email: "No account has this email." });
  try {
    return await db().$transaction(async (tx) => {
      const m = await tx.groupMember.create({
        data: { groupId: group.id, userId: user.id, source },
        select: { groupId: true, userId: true, source: true, createdAt: true },
      });
      await recordMembershipChange(tx, { groupId: group.id, userId: user.id, added: true, source: { by: "admin", actorId: actor.id } });
      return { ...m, source };
    });
  } catch (error) {
    if (uniqueViolation(error) !== undefined)
      throw new ConflictError("membership_conflict", "This person is already a member of the group.", { email: "Already a member." });
    throw error;
  }
}

export async function removeMembership(actor: PlatformManager, groupId: string, userId: string): Promise<void> {
  const group = await findGroup(groupId);
  if (!isUuid(userId)) throw new NotFoundError("membership_not_found", "This person is not a member of the group.");
  await db().$transaction(async (tx) => {
    const { count } = await tx.groupMember.deleteMany({ where: { groupId: group.id, userId: userId.toLowerCase() } });
    if (count === 0) throw new NotFoundError("membership_not_found", "This person is not a member of the group.");
    await recordMembershipChange(tx, {
      groupId: group.id,
      userId: userId.toLowerCase(),
      added: false,
      source: { by: "admin", actorId: actor.id },
    });
  });
}

/** Group names for pickers (sharing a Cloud, a Project's members, an invitation): any signed-in user who may grant needs them. */
export async function groupChoices(): Promise<{ id: string; slug: string; displayName: string }[]> {
  return db().group.findMany({ orderBy: { slug: "asc" }, select: { id: true, slug: true, displayName: true } });
}
