import "server-only";
import { v7 as uuidv7 } from "uuid";
import type { AuditAction } from "@/lib/audit/action-names";
import { deny, recordAudit } from "@/lib/audit/service";
import { authorize, authorizeOrHide, check, visibleObjects, type Actor } from "@/lib/authz/service";
import { CREDENTIAL_COLUMNS, REVOCATION, toView, type CredentialRow, type CredentialView } from "@/lib/credentials/row";
import { credentialStatus } from "@/lib/credentials/status";
import { db, queryRows, uniqueViolation } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { ConflictError, DomainError, NotFoundError, PermissionDeniedError, ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import { lockCredential } from "./cascade";
import { REASON_MAX } from "@/lib/limits";

/**
 * Two-party credential assignment. A project member (deploy) requests a
 * credential of a Cloud usable in the Project; someone else who manages the
 * Project decides. The state machine, whole:
 *
 *   requested --approve--> approved --revoke--> revoked
 *   requested --reject---> rejected
 *
 * Every move runs in one transaction that locks the credential row, then
 * the assignment row, and checks under those locks; revoking or expiring a
 * credential locks the credential row first too and revokes its live
 * assignments. So two deciders cannot both win, and an approval cannot land
 * on a credential revoked or expired a moment before.
 */
export type AssignmentState = "requested" | "approved" | "rejected" | "revoked";
export type Decision = "approve" | "reject" | "revoke";

export const TRANSITIONS: Record<Decision, { from: AssignmentState; to: AssignmentState; audited: AuditAction }> = {
  approve: { from: "requested", to: "approved", audited: "assignment.approve" },
  reject: { from: "requested", to: "rejected", audited: "assignment.reject" },
  revoke: { from: "approved", to: "revoked", audited: "assignment.revoke" },
};

export interface AssignmentView {
  id: string;
  projectId: string;
  cloudCredentialId: string;
  state: AssignmentState;
  requestedById: string;
  decidedById: string | null;
  decidedAt: Date | null;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const unprocessable = (code: string, message: string) => new DomainError(code, message, 422);
const notAssignable = () => unprocessable("credential_not_assignable", "A revoked or expired credential cannot be assigned.");

/** Active credentials of the Clouds usable in the Project; what its members may request. */
/** The newest `limit` active credentials of the Clouds usable in the Project (the Project page offers these). */
export async function availableCredentials(actor: Actor, projectId: string, now = new Date(), limit = 50): Promise<CredentialView[]> {
  await authorize(actor, "deploy", { project: projectId });
  const rows = await queryRows<CredentialRow>(Prisma.sql`
    SELECT ${CREDENTIAL_COLUMNS}
      FROM cloud_credentials c LEFT JOIN ${REVOCATION} ON TRUE
     WHERE c.cloud_id IN (SELECT ca.cloud_id FROM cloud_assignments ca WHERE ca.project_id = ${projectId}::uuid)
       AND c.revoked_at IS NULL AND c.expired_at IS NULL AND c.expires_at > ${now}
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT ${limit}`);
  return rows.map((row) => toView(row, now));
}

/** What a request names: exactly one of a credential, or a Cloud whose newest eligible credential is meant. */
export type AssignmentTarget = { cloudCredentialId?: string; cloudId?: string };

/** Proof that the actor may ask for credentials in one Project (project#deploy); the only way to reach `request`. */
export interface AssignmentRequester {
  readonly projectId: string;
  request(target: AssignmentTarget, now?: Date): Promise<AssignmentView>;
}

export async function authorizeRequest(actor: Actor, projectId: string): Promise<AssignmentRequester> {
  await authorize(actor, "deploy", { project: projectId });
  return { projectId, request: (target, now = new Date()) => request(actor, projectId, target, now) };
}

/** Both steps at once (the console's action and tests). */
export async function requestAssignment(
  actor: Actor,
  projectId: string,
  target: AssignmentTarget,
  now = new Date(),
): Promise<AssignmentView> {
  return (await authorizeRequest(actor, projectId)).request(target, now);
}

async function request(actor: Actor, projectId: string, target: AssignmentTarget, now: Date): Promise<AssignmentView> {
  // The contract's two refusals: both named is ambiguous_credential_target, neither is invalid_body.
  if (target.cloudCredentialId && target.cloudId)
    throw new ValidationError("ambiguous_credential_target", "name one of cloud_credential_id or cloud_id, not both");
  if (!target.cloudCredentialId && !target.cloudId)
    throw new ValidationError("invalid_body", "name one of cloud_credential_id or cloud_id");
  const credentialId = target.cloudCredentialId
    ? await checkedCredential(actor, projectId, target.cloudCredentialId, now)
    : await newestEligible(projectId, target.cloudId!, now);
  try {
    return await db().$transaction(async (tx) => {
      // Checked again under the credential's lock: a revoke that committed since must not gain a live request.
      const credential = await lockCredential(tx, credentialId);
      if (!credential || credentialStatus(credential, now) !== "active") throw notAssignable();
      const created = await tx.credentialAssignment.create({
        data: { id: uuidv7(), projectId, cloudCredentialId: credentialId, requestedById: actor.id, createdAt: now, updatedAt: now },
      });
      const { cloudId } = credential;
      await recordAudit(
        {
          actorId: actor.id,
          action: "assignment.request",
          target: { type: "credential_assignment", id: created.id },
          cloudId,
          outcome: "succeeded",
          reason: `project=${projectId} credential=${credentialId}`,
        },
        tx,
      );
      return created;
    });
  } catch (error) {
    if (uniqueViolation(error) === "credential_assignments_one_live_per_pair") {
      throw new ConflictError("duplicate_live_assignment", "This credential already has a live request or assignment in this Project.");
    }
    throw error;
  }
}

/**
 * Approve, reject or revoke. Needs manage on the Project; nobody approves
 * their own request; a move the state machine does not allow is 409.
 */
const credentialNotFound = () => new NotFoundError("cloud_credential_not_found", "This credential does not exist.");
const assignmentNotFound = () => new NotFoundError("credential_assignment_not_found", "This assignment does not exist.");

/** Reject and revoke say why: a blank reason is refused, whichever door it came through. */
export function nonBlankReason(reason: string): string {
  if (reason.trim().length === 0) throw new ValidationError("invalid_decision_reason", "the reason must not be blank");
  return reason;
}

/** Proof that the actor manages the assignment's Project; the only way to reach `decide`. */
export interface AssignmentDecider {
  readonly assignmentId: string;
  decide(decision: Decision, reason?: string, now?: Date): Promise<AssignmentView>;
}

/** Loads an assignment and checks manage on its Project (read from the row), before any body is read. */
export async function authorizeDecision(actor: Actor, assignmentId: string): Promise<AssignmentDecider> {
  const assignment = isUuid(assignmentId)
    ? await db().credentialAssignment.findUnique({
        where: { id: assignmentId },
        include: { cloudCredential: { select: { cloudId: true } } },
      })
    : null;
  if (!assignment) throw assignmentNotFound();
  await authorizeOrHide(actor, "manage", { project: assignment.projectId }, assignmentNotFound);
  return { assignmentId: assignment.id, decide: (decision, reason, now = new Date()) => decide(actor, assignment, decision, reason, now) };
}

/** Both steps at once (the console's approvals and tests). */
export async function decideAssignment(
  actor: Actor,
  assignmentId: string,
  decision: Decision,
  reason?: string,
  now = new Date(),
): Promise<AssignmentView> {
  return (await authorizeDecision(actor, assignmentId)).decide(decision, reason, now);
}

type DecidedAssignment = {
  id: string;
  projectId: string;
  cloudCredentialId: string;
  requestedById: string;
  state: AssignmentState;
  cloudCredential: { cloudId: string };
};

async function decide(
  actor: Actor,
  assignment: DecidedAssignment,
  decision: Decision,
  reason: string | undefined,
  now: Date,
): Promise<AssignmentView> {
  if (!Object.hasOwn(TRANSITIONS, decision)) throw new ValidationError("invalid_decision", "decide approve, reject or revoke");
  if (reason !== undefined && (typeof reason !== "string" || reason.length > REASON_MAX))
    throw new ValidationError("invalid_reason", `a reason is at most ${REASON_MAX} characters`);
  if (decision === "approve" && assignment.requestedById === actor.id) {
    const denied = await deny(actor.id, "assignment.approve", { type: "credential_assignment", id: assignment.id }, "self_approval");
    throw new PermissionDeniedError(
      "self approval",
      denied.correlationId,
      "self_approval_denied",
      "You cannot approve your own request; someone else must.",
    );
  }
  const { from, to, audited } = TRANSITIONS[decision];
  const trimmed = reason?.trim() || null;
  return db().$transaction(async (tx) => {
    // Credential first, then assignment: the order a credential's revoke takes its locks in.
    const credential = await lockCredential(tx, assignment.cloudCredentialId);
    if (decision === "approve") {
      const usable =
        credential &&
        (await tx.cloudAssignment.findUnique({
          where: { cloudId_projectId: { cloudId: credential.cloudId, projectId: assignment.projectId } },
        }));
      if (!usable) throw unprocessable("cloud_not_usable_in_project", "This credential's Cloud is not usable in the Project.");
      if (credentialStatus(credential, now) !== "active") throw notAssignable();
    }
    const [current] = await tx.$queryRaw<{ state: AssignmentState }[]>`
      SELECT state::text AS state FROM credential_assignments WHERE id = ${assignment.id}::uuid FOR UPDATE`;
    if (current?.state !== from)
      throw new ConflictError("illegal_transition", `A ${current?.state ?? assignment.state} assignment cannot be ${to}.`);
    await tx.credentialAssignment.update({
      where: { id: assignment.id },
      data: { state: to, decidedById: actor.id, decidedAt: now, reason: trimmed, updatedAt: now },
    });
    await recordAudit(
      {
        actorId: actor.id,
        action: audited,
        target: { type: "credential_assignment", id: assignment.id },
        cloudId: assignment.cloudCredential.cloudId,
        outcome: "succeeded",
        reason: `project=${assignment.projectId} credential=${assignment.cloudCredentialId}${trimmed ? `: ${trimmed}` : ""}`,
      },
      tx,
    );
    return tx.credentialAssignment.findUniqueOrThrow({ where: { id: assignment.id } });
  });
}

/** Keyset position in a Project's assignment list (newest first). */
export interface AssignmentCursor {
  createdAt: string;
  id: string;
}

/** One page of the Project's assignments, newest first: the /v1 list and the Project page. */
export async function listProjectAssignments(
  actor: Actor,
  projectId: string,
  page: { limit: number; after?: AssignmentCursor } = { limit: 50 },
): Promise<{ items: AssignmentView[]; next?: AssignmentCursor }> {
  await authorize(actor, "observe", { project: projectId });
  if (!isUuid(projectId)) return { items: [] };
  const after = page.after;
  const rows = await db().credentialAssignment.findMany({
    where: {
      projectId,
      ...(after
        ? { OR: [{ createdAt: { lt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
  });
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, ...(rows.length > page.limit && last ? { next: { createdAt: last.createdAt.toISOString(), id: last.id } } : {}) };
}

/** Keyset position in the inbox's order (oldest request first). */
export interface InboxCursor {
  createdAt: string;
  id: string;
}

export const INBOX_PAGE_LIMIT = 50;

/**
 * Requests waiting for the actor's decision: in Projects they manage, not
 * their own, and only for credentials still active (a request for a revoked
 * or expired credential can no longer be approved, so it leaves the inbox).
 * Keyset pages of at most INBOX_PAGE_LIMIT, oldest first.
 */
export async function pendingForDecision(
  actor: Actor,
  options: { limit?: number; after?: InboxCursor; now?: Date } = {},
): Promise<{ items: AssignmentView[]; next?: InboxCursor }> {
  const limit = Math.min(Math.max(1, options.limit ?? INBOX_PAGE_LIMIT), INBOX_PAGE_LIMIT);
  const after = options.after;
  const position = after
    ? Prisma.sql`AND (a.created_at, a.id) > (${new Date(after.createdAt)}::timestamptz, ${after.id}::uuid)`
    : Prisma.empty;
  const rows = await db().$queryRaw<AssignmentView[]>`
    SELECT a.id::text AS id, a.project_id::text AS "projectId", a.cloud_credential_id::text AS "cloudCredentialId", a.state::text AS state,
           a.requested_by_id::text AS "requestedById", a.decided_by_id::text AS "decidedById", a.decided_at AS "decidedAt", a.reason,
           a.created_at AS "createdAt", a.updated_at AS "updatedAt"
    FROM credential_assignments a
    WHERE ${await inboxCondition(actor, options.now ?? new Date())} ${position}
    ORDER BY a.created_at, a.id
    LIMIT ${limit + 1}`;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit ? { createdAt: last.createdAt.toISOString(), id: last.id } : undefined };
}

/** How many requests wait for the actor, counted up to `cap` (the navigation shows "99+" beyond). */
export async function countPendingForDecision(actor: Actor, cap = 100, now = new Date()): Promise<number> {
  const [{ n }] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM credential_assignments a WHERE ${await inboxCondition(actor, now)} LIMIT ${cap}) capped`;
  return n;
}

/**
 * The inbox as SQL over `a` (credential_assignments): requested, by someone
 * else, for a credential still active, in a Project the actor manages
 * (`visibleObjects`: asked in this statement, never a list of every Project
 * a group manages).
 */
async function inboxCondition(actor: Actor, now: Date): Promise<Prisma.Sql> {
  if (!isUuid(actor.id)) return Prisma.sql`FALSE`;
  const managed = await visibleObjects(actor, "manage", "project");
  return Prisma.sql`a.state = 'requested' AND a.requested_by_id <> ${actor.id}::uuid
    ${managed.kind === "all" ? Prisma.empty : Prisma.sql`AND ${managed.where(Prisma.sql`a.project_id`)}`}
    AND EXISTS (SELECT 1 FROM cloud_credentials cc WHERE cc.id = a.cloud_credential_id
                AND cc.revoked_at IS NULL AND cc.expired_at IS NULL AND cc.expires_at > ${now})`;
}

export function canDecide(actor: Actor, projectId: string): Promise<boolean> {
  return check(actor, "manage", { project: projectId });
}

/**
 * The credential exists, its Cloud is usable in the Project, and it is
 * active. A credential of a Cloud that is neither usable in the Project nor
 * visible to the caller is answered as a missing one: a Project member
 * cannot probe other Clouds' credential ids.
 */
async function checkedCredential(actor: Actor, projectId: string, credentialId: string, now: Date): Promise<string> {
  const credential = isUuid(credentialId)
    ? await db().cloudCredential.findUnique({
        where: { id: credentialId },
        select: { id: true, cloudId: true, revokedAt: true, expiredAt: true, expiresAt: true },
      })
    : null;
  if (!credential) throw credentialNotFound();
  const usable = await db().cloudAssignment.findUnique({ where: { cloudId_projectId: { cloudId: credential.cloudId, projectId } } });
  if (!usable && !(await check(actor, "observe", { cloud: credential.cloudId }))) throw credentialNotFound();
  if (!usable) throw unprocessable("cloud_not_usable_in_project", "This credential's Cloud is not usable in the Project.");
  if (credentialStatus(credential, now) !== "active") throw notAssignable();
  return credential.id;
}

async function newestEligible(projectId: string, cloudId: string, now: Date): Promise<string> {
  const usable = isUuid(cloudId) ? await db().cloudAssignment.findUnique({ where: { cloudId_projectId: { cloudId, projectId } } }) : null;
  if (!usable) throw unprocessable("cloud_not_usable_in_project", "This Cloud is not usable in the Project.");
  const newest = await db().cloudCredential.findFirst({
    where: { cloudId, revokedAt: null, expiredAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  if (!newest) throw unprocessable("no_eligible_credential_for_cloud", "No active credential serves this Cloud.");
  return newest.id;
}

export interface PendingApproval extends AssignmentView {
  projectName: string;
  requesterEmail: string;
  credential: CredentialView & { cloudSlug: string };
}

/** The inbox, one page: requests awaiting the actor's decision, with who asked and the credential's metadata. */
export async function approvalsInbox(
  actor: Actor,
  options: { after?: InboxCursor; now?: Date } = {},
): Promise<{ items: PendingApproval[]; next?: InboxCursor }> {
  const now = options.now ?? new Date();
  const page = await pendingForDecision(actor, { after: options.after, now });
  const pending = page.items;
  if (pending.length === 0) return { items: [] };
  const [projects, users, credentials] = await Promise.all([
    db().project.findMany({ where: { id: { in: pending.map((p) => p.projectId) } }, select: { id: true, name: true } }),
    db().user.findMany({ where: { id: { in: pending.map((p) => p.requestedById) } }, select: { id: true, email: true } }),
    queryRows<CredentialRow & { cloudSlug: string }>(Prisma.sql`
      SELECT ${CREDENTIAL_COLUMNS}, cl.slug AS "cloudSlug"
        FROM cloud_credentials c JOIN clouds cl ON cl.id = c.cloud_id LEFT JOIN ${REVOCATION} ON TRUE
       WHERE c.id = ANY(${pending.map((p) => p.cloudCredentialId)}::uuid[])`),
  ]);
  const projectName = new Map(projects.map((p) => [p.id, p.name]));
  const email = new Map(users.map((u) => [u.id, u.email]));
  const credential = new Map(credentials.map((row) => [row.id, { ...toView(row, now), cloudSlug: row.cloudSlug }]));
  return {
    items: pending.map((p) => ({
      ...p,
      projectName: projectName.get(p.projectId) ?? "",
      requesterEmail: email.get(p.requestedById) ?? "(deleted user)",
      credential: credential.get(p.cloudCredentialId)!,
    })),
    next: page.next,
  };
}

/** Display names of the credentials a Project's page mentions (its requests and what it may request). */
export async function credentialNamesFor(actor: Actor, projectId: string, ids: string[]): Promise<Record<string, string>> {
  await authorize(actor, "observe", { project: projectId });
  const rows = await db().cloudCredential.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
  return Object.fromEntries(rows.map((c) => [c.id, c.displayName]));
}

/** Names and slugs of the Clouds usable in a Project, so its people can tell same-named credentials apart. */
export async function usableCloudLabels(actor: Actor, projectId: string): Promise<Record<string, { displayName: string; slug: string }>> {
  await authorize(actor, "observe", { project: projectId });
  const rows = await db().cloud.findMany({
    where: { assignments: { some: { projectId } } },
    select: { id: true, displayName: true, slug: true },
  });
  return Object.fromEntries(rows.map((c) => [c.id, { displayName: c.displayName, slug: c.slug }]));
}
