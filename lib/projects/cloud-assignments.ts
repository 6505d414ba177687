import "server-only";
import { v7 as uuidv7 } from "uuid";
import type { AuditAction } from "@/lib/audit/action-names";
import { deny, recordAudit, recordOnCloudObject } from "@/lib/audit/service";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize, check, type Actor } from "@/lib/authz/service";
import { db, uniqueViolation, type Tx } from "@/lib/db/client";
import { ConflictError, NotFoundError, PermissionDeniedError, ValidationError } from "@/lib/errors";
import { REASON_MAX } from "@/lib/limits";
import { isUuid } from "@/lib/validation";

/**
 * A Cloud usable in a Project (plexsphere v1's Cloud Assignment). The
 * Project asks (project#deploy) and the Cloud's manager decides, or the
 * manager grants it outright (created approved):
 *
 *   requested --approve | break-glass--> approved --revoke--> revoked
 *   requested --reject-----------------> rejected
 *
 * Only an approved row makes the Cloud usable: its credentials are offered
 * to the Project and the `cloud_id` form of a credential request works.
 * Revoking one also revokes the Project's live credential assignments of
 * the Cloud's credentials, since they stood on it. At most one live
 * (requested or approved) row per pair (a partial unique index).
 */
export type CloudAssignmentState = "requested" | "approved" | "rejected" | "revoked";
export type CloudDecision = "approve" | "reject" | "revoke" | "break_glass";

export interface CloudAssignmentView {
  id: string;
  cloudId: string;
  projectId: string;
  state: CloudAssignmentState;
  requestedById: string;
  decidedById: string | null;
  decidedAt: Date | null;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const CLOUD_TRANSITIONS: Record<CloudDecision, { from: CloudAssignmentState; to: CloudAssignmentState; audited: AuditAction }> = {
  approve: { from: "requested", to: "approved", audited: "cloud_assignment.approve" },
  reject: { from: "requested", to: "rejected", audited: "cloud_assignment.reject" },
  revoke: { from: "approved", to: "revoked", audited: "cloud_assignment.revoke" },
  break_glass: { from: "requested", to: "approved", audited: "cloud_assignment.break_glass" },
};

export const cloudAssignmentNotFound = () => new NotFoundError("cloud_assignment_not_found", "This Cloud assignment does not exist.");
const duplicateLive = () =>
  new ConflictError("duplicate_live_cloud_assignment", "This Cloud already has a live request or assignment in this Project.");

async function create(
  actor: Actor,
  cloudId: string,
  projectId: string,
  state: "requested" | "approved",
  now: Date,
): Promise<CloudAssignmentView> {
  try {
    return await db().$transaction(async (tx) => {
      const created = await tx.cloudAssignment.create({
        data: {
          id: uuidv7(),
          cloudId,
          projectId,
          state,
          requestedById: actor.id,
          ...(state === "approved" ? { decidedById: actor.id, decidedAt: now } : {}),
          createdAt: now,
          updatedAt: now,
        },
      });
      await recordAudit(
        {
          actorId: actor.id,
          action: state === "approved" ? "cloud.assign" : "cloud_assignment.request",
          target: { type: "project", id: projectId },
          cloudId,
          outcome: "succeeded",
          reason: `cloud_assignment=${created.id}`,
        },
        tx,
      );
      return created;
    });
  } catch (error) {
    if (uniqueViolation(error) === "cloud_assignments_one_live_per_pair") throw duplicateLive();
    throw error;
  }
}

/** Proof that the actor manages a Cloud; the only way to grant it to a Project directly. */
export interface CloudAssigner {
  readonly cloudId: string;
  assign(projectId: string, now?: Date): Promise<CloudAssignmentView>;
}

export async function authorizeCloudAssign(actor: Actor, cloudId: string): Promise<CloudAssigner> {
  await authorize(actor, "manage", { cloud: cloudId });
  return { cloudId, assign: (projectId, now = new Date()) => grant(actor, cloudId, projectId, now) };
}

/** Makes a Cloud usable in a Project at once (cloud#manage); a live pair already there is 409 duplicate_live_cloud_assignment. */
export async function assignCloudToProject(actor: Actor, cloudId: string, projectId: string): Promise<CloudAssignmentView> {
  return (await authorizeCloudAssign(actor, cloudId)).assign(projectId);
}

async function grant(actor: Actor, cloudId: string, projectId: string, now: Date): Promise<CloudAssignmentView> {
  const project = isUuid(projectId) ? await db().project.findUnique({ where: { id: projectId }, select: { id: true } }) : null;
  if (!project) throw new NotFoundError("project_not_found", "This Project does not exist.");
  return create(actor, cloudId, projectId, "approved", now);
}

/** Proof that the actor may deploy from a Project (project#deploy); the only way to ask for a Cloud there. */
export interface CloudRequester {
  readonly projectId: string;
  request(cloudId: string, now?: Date): Promise<CloudAssignmentView>;
}

export async function authorizeCloudRequest(actor: Actor, projectId: string): Promise<CloudRequester> {
  await authorize(actor, "deploy", { project: projectId });
  return { projectId, request: (cloudId, now = new Date()) => requestCloud(actor, projectId, cloudId, now) };
}

export async function requestCloudForProject(actor: Actor, projectId: string, cloudId: string): Promise<CloudAssignmentView> {
  return (await authorizeCloudRequest(actor, projectId)).request(cloudId);
}

async function requestCloud(actor: Actor, projectId: string, cloudId: string, now: Date): Promise<CloudAssignmentView> {
  // The contract answers a Cloud it cannot find as a bad cloud_id (it declares no 404 here).
  const cloud = isUuid(cloudId) ? await db().cloud.findUnique({ where: { id: cloudId.toLowerCase() }, select: { id: true } }) : null;
  if (!cloud) throw new ValidationError("invalid_cloud_id", "There is no Cloud with this id.");
  return create(actor, cloud.id, projectId, "requested", now);
}

/** Keyset position in a Project's Cloud assignment list (newest first). */
export interface CloudAssignmentCursor {
  createdAt: string;
  id: string;
}

/** One page of the Project's Cloud assignments, newest first, every state (project#observe). */
export async function listProjectCloudAssignments(
  actor: Actor,
  projectId: string,
  page: { limit: number; after?: CloudAssignmentCursor } = { limit: 50 },
): Promise<{ items: CloudAssignmentView[]; next?: CloudAssignmentCursor }> {
  await authorize(actor, "observe", { project: projectId });
  if (!isUuid(projectId)) return { items: [] };
  const after = page.after;
  const rows = await db().cloudAssignment.findMany({
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

/** Names and slugs of the Clouds a Project has asked for or been granted (its page lists them), whoever may see the Clouds. */
export async function cloudLabelsForProject(
  actor: Actor,
  projectId: string,
): Promise<Record<string, { displayName: string; slug: string }>> {
  await authorize(actor, "observe", { project: projectId });
  if (!isUuid(projectId)) return {};
  const rows = await db().cloud.findMany({
    where: { assignments: { some: { projectId } } },
    select: { id: true, displayName: true, slug: true },
    take: 200,
  });
  return Object.fromEntries(rows.map((c) => [c.id, { displayName: c.displayName, slug: c.slug }]));
}

export async function findCloudAssignment(id: string): Promise<CloudAssignmentView | null> {
  return isUuid(id) ? db().cloudAssignment.findUnique({ where: { id: id.toLowerCase() } }) : null;
}

/** Proof that the actor may revoke a Cloud assignment: cloud#manage, or else project#deploy on its Project. */
export interface CloudAssignmentRevoker {
  readonly assignmentId: string;
  revoke(reason: string, now?: Date): Promise<CloudAssignmentView>;
}

export async function authorizeCloudAssignmentRevoke(actor: Actor, assignmentId: string): Promise<CloudAssignmentRevoker> {
  const assignment = await findCloudAssignment(assignmentId);
  if (!assignment) throw cloudAssignmentNotFound();
  if (!(await check(actor, "manage", { cloud: assignment.cloudId }))) {
    // The Project's deployers may give up their own Project's use of a Cloud; anyone who cannot even see either is told nothing.
    if (!(await check(actor, "deploy", { project: assignment.projectId }))) {
      const visible =
        (await check(actor, "observe", { project: assignment.projectId })) ||
        (await check(actor, "observe", { cloud: assignment.cloudId }));
      if (!visible) throw cloudAssignmentNotFound();
      await authorize(actor, "deploy", { project: assignment.projectId });
    }
  }
  return {
    assignmentId: assignment.id,
    revoke: (reason, now = new Date()) => decideCloudAssignment(actor, assignment, "revoke", reason, now),
  };
}

/** Proof that the actor manages the Cloud a Cloud assignment asks for; the only way to approve or reject it. */
export interface CloudAssignmentDecider {
  readonly assignment: CloudAssignmentView;
  approve(now?: Date): Promise<CloudAssignmentView>;
  reject(reason: string, now?: Date): Promise<CloudAssignmentView>;
}

/**
 * cloud#manage on the row's Cloud (read from the row). Who cannot see the
 * Cloud or the Project is told `hidden()` (as for an id that does not exist).
 */
export async function authorizeCloudAssignmentDecision(
  actor: Actor,
  assignmentId: string,
  hidden: () => Error = cloudAssignmentNotFound,
): Promise<CloudAssignmentDecider> {
  const assignment = await findCloudAssignment(assignmentId);
  if (!assignment) throw hidden();
  if (!(await check(actor, "manage", { cloud: assignment.cloudId }))) {
    const sees =
      (await check(actor, "observe", { cloud: assignment.cloudId })) || (await check(actor, "observe", { project: assignment.projectId }));
    if (!sees) throw hidden();
    await authorize(actor, "manage", { cloud: assignment.cloudId });
  }
  return {
    assignment,
    approve: (now = new Date()) => decideCloudAssignment(actor, assignment, "approve", undefined, now),
    reject: (reason, now = new Date()) => decideCloudAssignment(actor, assignment, "reject", reason, now),
  };
}

/** A platform operator's emergency approval of a waiting Cloud request (lib/approvals checks the justification). */
export async function breakGlassCloudAssignment(actor: Actor, assignmentId: string, justification: string, now = new Date()) {
  await authorize(actor, "manage", { platform: PLATFORM_ID });
  const assignment = await findCloudAssignment(assignmentId);
  if (!assignment) throw cloudAssignmentNotFound();
  return decideCloudAssignment(actor, assignment, "break_glass", justification, now);
}

/**
 * Moves a Cloud assignment along its state machine; the permits above have
 * checked the gate. Nobody approves their own request
 * (the rule credential assignments keep), except by break-glass: a platform
 * operator's emergency approval.
 */
async function decideCloudAssignment(
  actor: Actor,
  assignment: CloudAssignmentView,
  decision: CloudDecision,
  reason: string | undefined,
  now: Date,
): Promise<CloudAssignmentView> {
  if (reason !== undefined && reason.length > REASON_MAX)
    throw new ValidationError("invalid_reason", `a reason is at most ${REASON_MAX} characters`);
  if (decision === "approve" && assignment.requestedById === actor.id) {
    const denied = await deny(
      actor.id,
      CLOUD_TRANSITIONS[decision].audited,
      { type: "cloud_assignment", id: assignment.id },
      "self_approval",
    );
    throw new PermissionDeniedError(
      "self approval",
      denied.correlationId,
      "self_approval_denied",
      "You cannot approve your own request; someone else must.",
    );
  }
  const { from, to, audited } = CLOUD_TRANSITIONS[decision];
  const trimmed = reason?.trim() || null;
  return db().$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ state: CloudAssignmentState }[]>`
      SELECT state::text AS state FROM cloud_assignments WHERE id = ${assignment.id}::uuid FOR UPDATE`;
    if (current?.state !== from)
      throw new ConflictError("illegal_transition", `A ${current?.state ?? assignment.state} Cloud assignment cannot be ${to}.`);
    // A break-glass justification goes to the audit entry only; the row's reason is what the requester is shown.
    const shown = decision === "break_glass" ? null : trimmed;
    const updated = await tx.cloudAssignment.update({
      where: { id: assignment.id },
      data: { state: to, decidedById: actor.id, decidedAt: now, reason: shown, updatedAt: now },
    });
    await recordAudit(
      {
        actorId: actor.id,
        action: audited,
        target: { type: "project", id: assignment.projectId },
        cloudId: assignment.cloudId,
        outcome: "succeeded",
        reason: `cloud_assignment=${assignment.id}${trimmed ? `: ${trimmed}` : ""}`,
      },
      tx,
    );
    if (decision === "revoke")
      await revokeStandingCredentialAssignments(tx, assignment, actor.id, trimmed ?? "Cloud assignment revoked", now);
    return updated;
  });
}

/** The Project's live credential assignments of the Cloud's credentials stood on the revoked Cloud assignment: they go too. */
async function revokeStandingCredentialAssignments(
  tx: Tx,
  assignment: { id: string; cloudId: string; projectId: string },
  actorId: string,
  why: string,
  now: Date,
): Promise<void> {
  const revoked = await tx.$queryRaw<{ id: string; credentialId: string }[]>`
    UPDATE credential_assignments a
       SET state = 'revoked', decided_by_id = ${actorId}::uuid, decided_at = ${now}, reason = ${why}, updated_at = ${now}
      FROM cloud_credentials c
     WHERE c.id = a.cloud_credential_id AND c.cloud_id = ${assignment.cloudId}::uuid
       AND a.project_id = ${assignment.projectId}::uuid AND a.state IN ('requested', 'approved')
    RETURNING a.id::text AS id, a.cloud_credential_id::text AS "credentialId"`;
  for (const row of revoked) {
    await recordOnCloudObject(
      tx,
      "assignment.revoke",
      { type: "credential_assignment", id: row.id, cloudId: assignment.cloudId },
      {
        actorId,
        reason: `project=${assignment.projectId} credential=${row.credentialId}: the Cloud assignment ${assignment.id} was revoked`,
      },
    );
  }
}
