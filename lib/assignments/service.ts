import "server-only";
import { v7 as uuidv7 } from "uuid";
import type { AuditAction } from "@/lib/audit/action-names";
import { deny, recordAudit } from "@/lib/audit/service";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize, authorizeOrHide, check, type Actor } from "@/lib/authz/service";
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
export type Decision = "approve" | "reject" | "revoke" | "break_glass";

export const TRANSITIONS: Record<Decision, { from: AssignmentState; to: AssignmentState; audited: AuditAction }> = {
  approve: { from: "requested", to: "approved", audited: "assignment.approve" },
  reject: { from: "requested", to: "rejected", audited: "assignment.reject" },
  revoke: { from: "approved", to: "revoked", audited: "assignment.revoke" },
  // A platform operator's emergency approval (POST /v1/approvals/{id}/break-glass): no second party, a justification instead.
  break_glass: { from: "requested", to: "approved", audited: "credential_assignment.break_glass" },
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
     WHERE c.cloud_id IN (SELECT ca.cloud_id FROM cloud_assignments ca WHERE ca.project_id = ${projectId}::uuid AND ca.state = 'approved')
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

const credentialNotFound = () => new NotFoundError("cloud_credential_not_found", "This credential does not exist.");
const assignmentNotFound = () => new NotFoundError("credential_assignment_not_found", "This assignment does not exist.");

/** Reject and revoke say why: a blank reason is refused, whichever door it came through. */
export function nonBlankReason(reason: string): string {
  if (reason.trim().length === 0) throw new ValidationError("invalid_decision_reason", "the reason must not be blank");
  return reason;
}

/** Proof that the actor may decide an assignment; the only way to reach `decide`. */
export interface AssignmentDecider {
  readonly assignmentId: string;
  decide(decision: Exclude<Decision, "break_glass">, reason?: string, now?: Date): Promise<AssignmentView>;
}

/**
 * Loads an assignment and asks, before any body is read, whether the actor
 * may decide it at all (the owner comes from the row):
 *   approve, reject: cloud#manage on the credential's Cloud (plexsphere's
 *     newer gate, `assign` on the credential) or project#manage (the June
 *     contract's, kept for its clients and the Project's owners);
 *   revoke: cloud#manage, or else project#deploy (the newer gate: a
 *     Project's deployers may give up its own use), or project#manage.
 * Holding neither is refused (or hidden from who cannot see the Project);
 * holding only the revoke gate refuses approve and reject, before the body
 * when the door said it will decide (`intent`), else in `decide`.
 */
export async function authorizeDecision(
  actor: Actor,
  assignmentId: string,
  /** What the door will do, when it knows before reading its input: each /v1 route does; the console's action decides any. */
  intent: "decide" | "revoke" | "any" = "any",
): Promise<AssignmentDecider> {
  const assignment = isUuid(assignmentId)
    ? await db().credentialAssignment.findUnique({
        where: { id: assignmentId.toLowerCase() },
        include: { cloudCredential: { select: { cloudId: true } } },
      })
    : null;
  if (!assignment) throw assignmentNotFound();
  const project = { project: assignment.projectId };
  const mayDecide =
    (await check(actor, "manage", { cloud: assignment.cloudCredential.cloudId })) || (await check(actor, "manage", project));
  const mayRevoke = mayDecide || (intent !== "decide" && (await check(actor, "deploy", project)));
  if (!mayRevoke) await authorizeOrHide(actor, "manage", project, assignmentNotFound);
  if (intent === "decide" && !mayDecide) await authorize(actor, "manage", project);
  return {
    assignmentId: assignment.id,
    decide: async (decision, reason, now = new Date()) => {
      if (decision !== "revoke" && !mayDecide) await authorize(actor, "manage", project);
      return decide(actor, assignment, decision, reason, now);
    },
  };
}

/** A platform operator's emergency approval of a waiting request (lib/approvals checks the justification). */
export async function breakGlassAssignment(actor: Actor, assignmentId: string, justification: string, now = new Date()) {
  await authorize(actor, "manage", { platform: PLATFORM_ID });
  const assignment = isUuid(assignmentId)
    ? await db().credentialAssignment.findUnique({
        where: { id: assignmentId.toLowerCase() },
        include: { cloudCredential: { select: { cloudId: true } } },
      })
    : null;
  if (!assignment) throw assignmentNotFound();
  return decide(actor, assignment, "break_glass", justification, now);
}

/** Both steps at once (the console's approvals and tests). */
export async function decideAssignment(
  actor: Actor,
  assignmentId: string,
  decision: Exclude<Decision, "break_glass">,
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
    if (to === "approved") {
      // Shared lock on the approved Cloud assignment: revoking it waits for this approval, then revokes it too.
      const usable =
        credential &&
        (
          await tx.$queryRaw<{ id: string }[]>`
            SELECT id::text AS id FROM cloud_assignments
             WHERE cloud_id = ${credential.cloudId}::uuid AND project_id = ${assignment.projectId}::uuid AND state = 'approved'
             FOR SHARE`
        ).length > 0;
      if (!usable) throw unprocessable("cloud_not_usable_in_project", "This credential's Cloud is not usable in the Project.");
      if (credentialStatus(credential, now) !== "active") throw notAssignable();
    }
    const [current] = await tx.$queryRaw<{ state: AssignmentState }[]>`
      SELECT state::text AS state FROM credential_assignments WHERE id = ${assignment.id}::uuid FOR UPDATE`;
    if (current?.state !== from)
      throw new ConflictError("illegal_transition", `A ${current?.state ?? assignment.state} assignment cannot be ${to}.`);
    // A break-glass justification goes to the audit entry only; the row's reason is what the requester is shown.
    await tx.credentialAssignment.update({
      where: { id: assignment.id },
      data: { state: to, decidedById: actor.id, decidedAt: now, reason: decision === "break_glass" ? null : trimmed, updatedAt: now },
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
  const usable = await db().cloudAssignment.findFirst({
    where: { cloudId: credential.cloudId, projectId, state: "approved" },
    select: { id: true },
  });
  if (!usable && !(await check(actor, "observe", { cloud: credential.cloudId }))) throw credentialNotFound();
  if (!usable) throw unprocessable("cloud_not_usable_in_project", "This credential's Cloud is not usable in the Project.");
  if (credentialStatus(credential, now) !== "active") throw notAssignable();
  return credential.id;
}

async function newestEligible(projectId: string, cloudId: string, now: Date): Promise<string> {
  const usable = isUuid(cloudId)
    ? await db().cloudAssignment.findFirst({ where: { cloudId, projectId, state: "approved" }, select: { id: true } })
    : null;
  if (!usable) throw unprocessable("cloud_not_usable_in_project", "This Cloud is not usable in the Project.");
  const newest = await db().cloudCredential.findFirst({
    where: { cloudId, revokedAt: null, expiredAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  if (!newest) throw unprocessable("no_eligible_credential_for_cloud", "No active credential serves this Cloud.");
  return newest.id;
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
    where: { assignments: { some: { projectId, state: "approved" } } },
    select: { id: true, displayName: true, slug: true },
  });
  return Object.fromEntries(rows.map((c) => [c.id, { displayName: c.displayName, slug: c.slug }]));
}
