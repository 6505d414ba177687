import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { recordAudit } from "@/lib/audit/service";
import { hashPassword } from "@/lib/auth/passwords";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { grant, type PlatformManager } from "@/lib/authz/service";
import { db, uniqueViolation, type Db, type Tx } from "@/lib/db/client";
import { ADVISORY_LOCKS, lockForTransaction } from "@/lib/db/lock";
import { ConflictError, DomainError, NotFoundError, ValidationError } from "@/lib/errors";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import { normaliseEmail } from "@/lib/names";
import { isUuid } from "@/lib/validation";
import { INVITATION_TTL, MAX_INITIAL_TUPLES, acceptInvitationSchema, accountEmailSchema, type InitialTuple } from "./invitation-rules";

/**
 * Invitations: a platform admin invites an email; the invitee gets a
 * one-time link (shown once; only its SHA-256 digest is kept) that expires.
 * Accepting creates the account and grants the invitation's initial tuples
 * in one transaction; so does any SSO sign-in with the invited email
 * (redeemInvitationByEmail). Issue, accept and revoke are audited.
 */
export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export interface InvitationView {
  id: string;
  email: string;
  status: InvitationStatus;
  initialTuples: InitialTuple[];
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedUserId: string | null;
  revokedAt: Date | null;
}

type Row = {
  id: string;
  email: string;
  initialTuples: unknown;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedUserId: string | null;
  revokedAt: Date | null;
};

export function statusOf(row: Pick<Row, "acceptedAt" | "revokedAt" | "expiresAt">, now = new Date()): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "pending";
}

function toView(row: Row, now = new Date()): InvitationView {
  return {
    ...row,
    initialTuples: Array.isArray(row.initialTuples) ? (row.initialTuples as unknown as InitialTuple[]) : [],
    status: statusOf(row, now),
  };
}

export const digestOf = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
const newToken = () => randomBytes(32).toString("base64url");

/** The relation each initial tuple grants, checked against the schema and against what exists. */
async function checkInitialTuples(tuples: InitialTuple[], client: Db | Tx): Promise<InitialTuple[]> {
  if (tuples.length > MAX_INITIAL_TUPLES)
    throw new DomainError("too_many_initial_tuples", `at most ${MAX_INITIAL_TUPLES} initial tuples`, 422);
  const outOfScope = (i: number) =>
    new DomainError(
      "invitation_object_out_of_scope",
      `initial_tuples[${i}].object must be cloud:<uuid>, project:<uuid>, group:<uuid>, platform:${PLATFORM_ID} or domain:<this-id>, of something that exists`,
      422,
    );
  const badRelation = (i: number, allowed: string) =>
    new ValidationError("invalid_body", `initial_tuples[${i}].relation must be ${allowed}`);
  const checked: InitialTuple[] = [];
  for (const [i, t] of tuples.entries()) {
    const [type, rawId, ...rest] = t.object.split(":");
    const id = (rawId ?? "").toLowerCase();
    if (rest.length > 0) throw outOfScope(i);
    if (type === "platform" || type === "domain") {
      if ((type === "platform" && id !== PLATFORM_ID) || (type === "domain" && id !== DEFAULT_DOMAIN_ID)) throw outOfScope(i);
      if (t.relation !== "manage") throw badRelation(i, "manage");
      checked.push({ relation: "manage", object: `platform:${PLATFORM_ID}` });
      continue;
    }
    if (!isUuid(id)) throw outOfScope(i);
    if (type === "cloud") {
      if (t.relation !== "manage" && t.relation !== "observer") throw badRelation(i, "manage or observer");
      if (!(await client.cloud.findUnique({ where: { id }, select: { id: true } }))) throw outOfScope(i);
    } else if (type === "project") {
      if (t.relation !== "manage" && t.relation !== "deploy") throw badRelation(i, "manage or deploy");
      if (!(await client.project.findUnique({ where: { id }, select: { id: true } }))) throw outOfScope(i);
    } else if (type === "group") {
      if (t.relation !== "member") throw badRelation(i, "member");
      const group = await client.group.findUnique({ where: { id }, select: { source: true } });
      // An IdP group's members come from sign-in; an invitation only joins local groups.
      if (!group || group.source !== "manual") throw outOfScope(i);
    } else {
      throw outOfScope(i);
    }
    checked.push({ relation: t.relation, object: `${type}:${id}` });
  }
  return checked;
}

/** Grants an accepted invitation's tuples to the new user, inside the accepting transaction. */
async function grantInitialTuples(tx: Tx, tuples: InitialTuple[], userId: string): Promise<void> {
  for (const t of tuples) {
    const [type, id] = t.object.split(":");
    if (type === "platform") await grant(tx, { type: "platform", id: PLATFORM_ID }, "manage", userId);
    else if (type === "cloud") await grant(tx, { type: "cloud", id }, t.relation as "manage" | "observer", userId);
    else if (type === "project") await grant(tx, { type: "project", id }, t.relation as "manage" | "deploy", userId);
    else if (type === "group") {
      // The group may have been deleted since: skipDuplicates does not cover a missing parent, so ask first.
      if (await tx.group.findUnique({ where: { id }, select: { id: true } })) {
        await tx.groupMember.createMany({ data: [{ groupId: id, userId, source: "manual" }], skipDuplicates: true });
      }
    }
  }
}

export async function issueInvitation(
  actor: PlatformManager,
  input: { email: string; ttlSeconds?: number; initialTuples?: InitialTuple[] },
  now = new Date(),
): Promise<{ invitation: InvitationView; token: string }> {
  const checkedEmail = accountEmailSchema.safeParse(input.email);
  if (!checkedEmail.success)
    throw new ValidationError("invalid_body", "external_subject must be an email address of printable characters", {
      email: checkedEmail.error.issues[0]?.message ?? "Enter an email address.",
    });
  const email = checkedEmail.data;
  const ttl = input.ttlSeconds ?? INVITATION_TTL.default;
  if (!Number.isInteger(ttl) || ttl < INVITATION_TTL.min || ttl > INVITATION_TTL.max) {
    throw new ValidationError("invalid_ttl", `ttl_seconds must be from ${INVITATION_TTL.min} to ${INVITATION_TTL.max}`, {
      ttlSeconds: "From one minute to seven days.",
    });
  }
  const tuples = await checkInitialTuples(input.initialTuples ?? [], db());
  if (await db().user.findUnique({ where: { email }, select: { id: true } })) {
    throw new ConflictError("identity_already_exists", "Someone with this email already has an account.", {
      email: "Someone with this email already has an account.",
    });
  }
  const token = newToken();
  return db().$transaction(async (tx) => {
    // One pending invitation per email: lock the email's rows so two issuers cannot both pass.
    await lockForTransaction(tx, ADVISORY_LOCKS.invitation(email));
    const pending = await tx.invitation.findFirst({
      where: { email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true },
    });
    if (pending) {
      throw new ConflictError(
        "invitation_already_pending",
        `a pending invitation already exists for this email; existing id ${pending.id}`,
        { email: "This email already has a pending invitation." },
        { existing_invitation_id: pending.id },
      );
    }
    const row = await tx.invitation.create({
      data: {
        id: uuidv7(),
        email,
        tokenDigest: digestOf(token),
        initialTuples: tuples.map((t) => ({ relation: t.relation, object: t.object })),
        createdById: actor.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ttl * 1000),
      },
    });
    await recordAudit(
      {
        actorId: actor.id,
        action: "invitation.create",
        target: { type: "invitation", id: row.id },
        outcome: "succeeded",
        reason: `${tuples.length} initial tuples`,
      },
      tx,
    );
    return { invitation: toView(row, now), token };
  });
}

export async function listInvitations(
  actor: PlatformManager,
  options: { status?: InvitationStatus | "all"; limit: number; before?: { createdAt: string; id: string } } = { limit: 200 },
  now = new Date(),
): Promise<{ items: InvitationView[]; next?: { createdAt: string; id: string } }> {
  const status = options.status ?? "all";
  const byStatus =
    status === "accepted"
      ? { acceptedAt: { not: null } }
      : status === "revoked"
        ? { acceptedAt: null, revokedAt: { not: null } }
        : status === "expired"
          ? { acceptedAt: null, revokedAt: null, expiresAt: { lte: now } }
          : status === "pending"
            ? { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }
            : {};
  const before = options.before;
  const rows = await db().invitation.findMany({
    where: {
      AND: [
        byStatus,
        before
          ? { OR: [{ createdAt: { lt: new Date(before.createdAt) } }, { createdAt: new Date(before.createdAt), id: { lt: before.id } }] }
          : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
  });
  const items = rows.slice(0, options.limit).map((r) => toView(r, now));
  const last = items.at(-1);
  return { items, next: rows.length > options.limit && last ? { createdAt: last.createdAt.toISOString(), id: last.id } : undefined };
}

export async function getInvitation(actor: PlatformManager, invitationId: string): Promise<InvitationView> {
  const row = isUuid(invitationId) ? await db().invitation.findUnique({ where: { id: invitationId.toLowerCase() } }) : null;
  if (!row) throw new NotFoundError("invitation_not_found", "There is no invitation with this id in this Domain.");
  return toView(row);
}

/** Revokes a pending invitation; revoking a revoked one again is a no-op. */
export async function revokeInvitation(actor: PlatformManager, invitationId: string, now = new Date()): Promise<void> {
  const invitation = await getInvitation(actor, invitationId);
  if (invitation.status === "revoked") return;
  if (invitation.status === "accepted")
    throw new ConflictError("invitation_already_accepted", `invitation ${invitation.id} has already been accepted`);
  if (invitation.status === "expired")
    throw new ConflictError("invitation_already_expired", `invitation ${invitation.id} has already expired`);
  await db().$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) throw new ConflictError("invitation_already_accepted", `invitation ${invitation.id} has already been accepted`);
    await recordAudit(
      { actorId: actor.id, action: "invitation.revoke", target: { type: "invitation", id: invitation.id }, outcome: "succeeded" },
      tx,
    );
  });
}

/** What the acceptance page may show about a link: the invited email and whether it can still be used. */
export async function invitationForToken(
  token: string,
  now = new Date(),
): Promise<{ email: string; status: InvitationStatus } | undefined> {
  if (!token || token.length > 128) return undefined;
  const row = await db().invitation.findUnique({
    where: { tokenDigest: digestOf(token) },
    select: { email: true, acceptedAt: true, revokedAt: true, expiresAt: true },
  });
  return row ? { email: row.email, status: statusOf(row, now) } : undefined;
}

const unusable = () =>
  new DomainError("invitation_unusable", "This invitation link has expired, was revoked or has been used already.", 410);

/** Claims a pending, unexpired invitation (once: the conditional update is the lock) and grants its tuples to userId. */
async function claim(tx: Tx, where: { tokenDigest: string } | { id: string }, userId: string, now: Date): Promise<boolean> {
  const { count } = await tx.invitation.updateMany({
    where: { ...where, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedUserId: userId },
  });
  if (count === 0) return false;
  const row = await tx.invitation.findFirstOrThrow({ where, select: { id: true, initialTuples: true } });
  const tuples = Array.isArray(row.initialTuples) ? (row.initialTuples as unknown as InitialTuple[]) : [];
  await grantInitialTuples(tx, tuples, userId);
  await recordAudit({ actorId: userId, action: "invitation.accept", target: { type: "invitation", id: row.id }, outcome: "succeeded" }, tx);
  return true;
}

/**
 * The invitee accepts with a name and a password: the local account is
 * created and the invitation's tuples granted, or nothing happens.
 */
export async function acceptInvitation(
  token: string,
  input: { displayName: unknown; password: unknown },
  now = new Date(),
): Promise<{ userId: string; email: string }> {
  const parsed = acceptInvitationSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError("invalid_body", issue?.message ?? "invalid", {
      [String(issue?.path[0] ?? "password")]: issue?.message ?? "invalid",
    });
  }
  const found = await invitationForToken(token, now);
  if (!found || found.status !== "pending") throw unusable();
  const passwordHash = await hashPassword(parsed.data.password);
  const userId = uuidv7();
  try {
    await db().$transaction(async (tx) => {
      await tx.user.create({ data: { id: userId, email: found.email, displayName: parsed.data.displayName, passwordHash } });
      if (!(await claim(tx, { tokenDigest: digestOf(token) }, userId, now))) throw unusable();
    });
  } catch (error) {
    if (uniqueViolation(error) === "users_email_key")
      throw new ConflictError("identity_already_exists", "Someone with this email already has an account; sign in instead.");
    throw error;
  }
  return { userId, email: found.email };
}

const openFor = (email: string, now: Date) => ({ email: normaliseEmail(email), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } });

/** Whether `email` has a pending, unexpired invitation (an SSO first-timer's admission under lib/sso/sign-in.ts). */
export async function hasOpenInvitation(tx: Tx, email: string, now = new Date()): Promise<boolean> {
  return (await tx.invitation.findFirst({ where: openFor(email, now), select: { id: true } })) !== null;
}

/**
 * An SSO sign-in (lib/sso/sign-in.ts) by the person `userId` with
 * `email`, new or returning, in `tx`: marks the pending, unexpired
 * invitation for that email accepted by them, grants its tuples and audits
 * it, as accepting the link does. The conditional update in claim() is the
 * lock, so two sign-ins at once redeem it once. False when there is none.
 */
export async function redeemInvitationByEmail(tx: Tx, input: { email: string; userId: string }): Promise<boolean> {
  const now = new Date();
  const pending = await tx.invitation.findFirst({ where: openFor(input.email, now), orderBy: { createdAt: "desc" }, select: { id: true } });
  if (!pending) return false;
  return claim(tx, { id: pending.id }, input.userId, now);
}
