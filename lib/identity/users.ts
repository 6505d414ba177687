import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { recordAudit } from "@/lib/audit/service";
import { authSecret } from "@/lib/auth/options";
import { endSessions } from "@/lib/auth/sessions";
import { type PlatformManager } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import { isUuid } from "@/lib/validation";

/**
 * The people of the Domain, for platform admins: who they are, where they
 * sign in from, their groups, and the two switches an admin has: disable
 * (and re-enable) and remove. A disabled person's sessions end at once and
 * their sessions and tokens are refused from their next request
 * (lib/auth/sessions.ts, lib/tokens/service.ts check the status).
 */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  /** `local`, or the alias of the identity provider binding they came from. */
  source: string;
  externalSubject: string | null;
  status: "active" | "disabled";
  lastSignInAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  groups: { id: string; slug: string; displayName: string }[];
}

const USER_SELECT = {
  id: true,
  email: true,
  displayName: true,
  externalSubject: true,
  status: true,
  lastSignInAt: true,
  createdAt: true,
  updatedAt: true,
  idpBinding: { select: { alias: true } },
  groupMemberships: { select: { group: { select: { id: true, slug: true, displayName: true } } }, orderBy: { createdAt: "asc" } },
} as const;

type UserRow = {
  id: string;
  email: string;
  displayName: string;
  externalSubject: string | null;
  status: string;
  lastSignInAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  idpBinding: { alias: string } | null;
  groupMemberships: { group: { id: string; slug: string; displayName: string } }[];
};

function toView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    source: u.idpBinding?.alias ?? "local",
    externalSubject: u.externalSubject,
    status: u.status === "disabled" ? "disabled" : "active",
    lastSignInAt: u.lastSignInAt,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    groups: u.groupMemberships.map((m) => m.group),
  };
}

/**
 * The Domain's pseudonym for a person's external subject (the IdP `sub`,
 * or the email of a local account): HMAC-SHA256 under a key derived from
 * the auth secret and the Domain, so lists can be correlated without PII.
 */
export async function pseudonymOf(value: string): Promise<string> {
  const key = Buffer.from(hkdfSync("sha256", await authSecret(), DEFAULT_DOMAIN_ID, "plexsphere subject pseudonym v1", 32));
  return createHmac("sha256", key).update(value.toLowerCase()).digest("hex");
}

export async function listUsers(
  actor: PlatformManager,
  page: { limit: number; before?: { createdAt: string; id: string } } = { limit: 500 },
): Promise<{ items: UserView[]; next?: { createdAt: string; id: string } }> {
  const before = page.before;
  const rows = await db().user.findMany({
    where: before
      ? { OR: [{ createdAt: { lt: new Date(before.createdAt) } }, { createdAt: new Date(before.createdAt), id: { lt: before.id } }] }
      : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    select: USER_SELECT,
  });
  const items = rows.slice(0, page.limit).map(toView);
  const last = items.at(-1);
  return { items, next: rows.length > page.limit && last ? { createdAt: last.createdAt.toISOString(), id: last.id } : undefined };
}

export async function getUser(actor: PlatformManager, userId: string): Promise<UserView> {
  const row = isUuid(userId) ? await db().user.findUnique({ where: { id: userId.toLowerCase() }, select: USER_SELECT }) : null;
  if (!row) throw new NotFoundError("identity_not_found", "There is no person with this id in this Domain.");
  return toView(row);
}

/** Disables or re-enables an account; disabling ends every session it has. */
export async function setUserStatus(actor: PlatformManager, userId: string, status: "active" | "disabled"): Promise<UserView> {
  const user = await getUser(actor, userId);
  if (user.id === actor.id) throw new ConflictError("cannot_change_self", "You cannot disable or re-enable your own account.");
  if (user.status === status) return user;
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { status, disabledAt: status === "disabled" ? new Date() : null } });
    if (status === "disabled") await endSessions(user.id, {}, tx);
    await recordAudit(
      {
        actorId: actor.id,
        action: status === "disabled" ? "user.disable" : "user.enable",
        target: { type: "user", id: user.id },
        outcome: "succeeded",
      },
      tx,
    );
  });
  return getUser(actor, user.id);
}

/** Removes an account, its sessions, tokens, memberships and every tuple naming it. */
export async function removeUser(actor: PlatformManager, userId: string): Promise<void> {
  const user = await getUser(actor, userId);
  if (user.id === actor.id) throw new ConflictError("cannot_change_self", "You cannot remove your own account.");
  await db().$transaction(async (tx) => {
    await tx.relationTuple.deleteMany({ where: { subjectType: "user", subjectId: user.id } });
    await tx.user.delete({ where: { id: user.id } });
    await recordAudit({ actorId: actor.id, action: "user.remove", target: { type: "user", id: user.id }, outcome: "succeeded" }, tx);
  });
}
