import "server-only";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize, check, denial, visibleObjects, type Actor, type VisibleObjects } from "@/lib/authz/service";
import { authorizeDecision, breakGlassAssignment } from "@/lib/assignments/service";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { isDomainError, NotFoundError, ValidationError } from "@/lib/errors";
import { BREAK_GLASS_REASON_MIN, REASON_MAX } from "@/lib/limits";
import { authorizeCloudAssignmentDecision, breakGlassCloudAssignment } from "@/lib/projects/cloud-assignments";
import { isKnownDomain } from "@/lib/tenancy/domain";
import { hasControlCharacters, isUuid } from "@/lib/validation";

/**
 * The approval queue (plexsphere v1's /v1/approvals): one list over both
 * assignment tables. A row is a projection of an assignment, not a record of
 * its own, and its id IS the assignment's id: both tables take UUIDv7 ids
 * from the same generator, so an id names at most one row of either (the
 * queue looks in both and a collision would need two equal random 74-bit
 * tails in the same millisecond). The contract's third kind, `approval`
 * (policy-gated proposals), has no rows here: we store no approval policies.
 *
 * Who may decide a row (and so see it):
 *   credential_assignment: cloud#manage on the credential's Cloud, or
 *     project#manage (lib/assignments authorizeDecision, the one gate);
 *   cloud_assignment: cloud#manage on the Cloud.
 * A platform operator (platform#manage, our emergency approver) sees every
 * row, so they can break the glass on one.
 */
export type ApprovalKind = "credential_assignment" | "cloud_assignment";
export type StoredState = "requested" | "approved" | "rejected" | "revoked";
export const APPROVAL_KINDS = ["approval", "credential_assignment", "cloud_assignment"] as const;
export const APPROVAL_STATES = ["proposed", "pending-approval", "approved", "rejected", "expired", "revoked"] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export interface ApprovalView {
  id: string;
  kind: ApprovalKind;
  projectId: string;
  cloudId: string;
  /** The credential a credential_assignment row spends; null for a cloud_assignment row. */
  cloudCredentialId: string | null;
  state: StoredState;
  requestedById: string;
  decidedById: string | null;
  decidedAt: Date | null;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Queue rows show a waiting assignment as the contract's `pending-approval`; the assignment itself keeps `requested`. */
export function approvalState(state: StoredState): Exclude<ApprovalState, "proposed" | "expired"> {
  return state === "requested" ? "pending-approval" : state;
}

const approvalNotFound = () => new NotFoundError("approval_not_found", "There is no approval with this id.");

const ROWS = Prisma.sql`(
    SELECT a.id, 'credential_assignment'::text AS kind, a.project_id, cc.cloud_id, a.cloud_credential_id, a.state::text AS state,
           a.requested_by_id, a.decided_by_id, a.decided_at, a.reason, a.created_at, a.updated_at
      FROM credential_assignments a JOIN cloud_credentials cc ON cc.id = a.cloud_credential_id
    UNION ALL
    SELECT ca.id, 'cloud_assignment'::text, ca.project_id, ca.cloud_id, NULL::uuid, ca.state::text,
           ca.requested_by_id, ca.decided_by_id, ca.decided_at, ca.reason, ca.created_at, ca.updated_at
      FROM cloud_assignments ca
  ) q`;

const COLUMNS = Prisma.sql`q.id::text AS id, q.kind, q.project_id::text AS "projectId", q.cloud_id::text AS "cloudId",
  q.cloud_credential_id::text AS "cloudCredentialId", q.state, q.requested_by_id::text AS "requestedById",
  q.decided_by_id::text AS "decidedById", q.decided_at AS "decidedAt", q.reason, q.created_at AS "createdAt", q.updated_at AS "updatedAt"`;

const holds = (visible: VisibleObjects, column: Prisma.Sql) => (visible.kind === "all" ? Prisma.sql`TRUE` : visible.where(column));

/** The rows the actor may decide, as SQL over `q`. */
async function decidable(actor: Actor): Promise<Prisma.Sql> {
  if (!isUuid(actor.id)) return Prisma.sql`FALSE`;
  const [clouds, projects] = await Promise.all([visibleObjects(actor, "manage", "cloud"), visibleObjects(actor, "manage", "project")]);
  const cloud = holds(clouds, Prisma.sql`q.cloud_id`);
  return Prisma.sql`(${cloud} OR (q.kind = 'credential_assignment' AND ${holds(projects, Prisma.sql`q.project_id`)}))`;
}

/** The rows the actor may read: what they may decide, and every row for a platform operator. */
async function readable(actor: Actor): Promise<Prisma.Sql> {
  return (await check(actor, "manage", { platform: PLATFORM_ID })) ? Prisma.sql`TRUE` : decidable(actor);
}

export interface ApprovalFilters {
  status?: ApprovalState;
  kind?: (typeof APPROVAL_KINDS)[number];
  cloudId?: string;
}

/**
 * GET /v1/approvals' filters, each refused with its own 400 code when it is
 * not one of the contract's values. A Domain other than ours matches no row.
 */
export function parseApprovalFilters(query: URLSearchParams): ApprovalFilters & { otherDomain: boolean } {
  const status = query.get("status");
  const kind = query.get("kind");
  const domainId = query.get("domain_id");
  const cloudId = query.get("cloud_id");
  if (status !== null && !(APPROVAL_STATES as readonly string[]).includes(status))
    throw new ValidationError("invalid_status", `status must be one of ${APPROVAL_STATES.join(", ")}`);
  if (kind !== null && !(APPROVAL_KINDS as readonly string[]).includes(kind))
    throw new ValidationError("invalid_kind", `kind must be one of ${APPROVAL_KINDS.join(", ")}`);
  if (domainId !== null && !isUuid(domainId)) throw new ValidationError("invalid_domain_id", "domain_id must be a UUID");
  if (cloudId !== null && !isUuid(cloudId)) throw new ValidationError("invalid_cloud_id", "cloud_id must be a UUID");
  return {
    ...(status !== null ? { status: status as ApprovalState } : {}),
    ...(kind !== null ? { kind: kind as ApprovalFilters["kind"] & string } : {}),
    ...(cloudId !== null ? { cloudId: cloudId.toLowerCase() } : {}),
    otherDomain: domainId !== null && !isKnownDomain(domainId),
  };
}

/** Keyset position in the queue's order (oldest first, as requests wait). */
export interface ApprovalCursor {
  createdAt: string;
  id: string;
}

function filterSql(filters: ApprovalFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filters.status) {
    const stored = filters.status === "pending-approval" ? "requested" : filters.status;
    parts.push(Prisma.sql`AND q.state = ${stored}`);
  }
  if (filters.kind) parts.push(Prisma.sql`AND q.kind = ${filters.kind}`);
  if (filters.cloudId) parts.push(Prisma.sql`AND q.cloud_id = ${filters.cloudId}::uuid`);
  return parts.length ? Prisma.join(parts, " ") : Prisma.empty;
}

async function page(
  condition: Prisma.Sql,
  limit: number,
  after: ApprovalCursor | undefined,
): Promise<{ items: ApprovalView[]; next?: ApprovalCursor }> {
  const position = after
    ? Prisma.sql`AND (q.created_at, q.id) > (${new Date(after.createdAt)}::timestamptz, ${after.id}::uuid)`
    : Prisma.empty;
  const rows = await db().$queryRaw<ApprovalView[]>`
    SELECT ${COLUMNS} FROM ${ROWS}
     WHERE ${condition} ${position}
     ORDER BY q.created_at, q.id
     LIMIT ${limit + 1}`;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, ...(rows.length > limit && last ? { next: { createdAt: last.createdAt.toISOString(), id: last.id } } : {}) };
}

/**
 * One page of the queue, oldest first (GET /v1/approvals). No top-level
 * gate: every row the actor may not read is left out in the statement, so a
 * caller allowed nothing gets an empty page. States the assignment rows
 * never take (`proposed`, `expired`) and the `approval` kind match nothing.
 */
export async function listApprovals(
  actor: Actor,
  filters: ApprovalFilters,
  options: { limit: number; after?: ApprovalCursor },
): Promise<{ items: ApprovalView[]; next?: ApprovalCursor }> {
  if (filters.status === "proposed" || filters.status === "expired" || filters.kind === "approval") return { items: [] };
  return page(Prisma.sql`${await readable(actor)} ${filterSql(filters)}`, options.limit, options.after);
}

async function findApproval(id: string): Promise<ApprovalView | null> {
  if (!isUuid(id)) return null;
  const [row] = await db().$queryRaw<ApprovalView[]>`SELECT ${COLUMNS} FROM ${ROWS} WHERE q.id = ${id.toLowerCase()}::uuid`;
  return row ?? null;
}

/**
 * Whether the actor may read a row; denied, they are told 403 when they can
 * at least see its Project or Cloud, else that it does not exist.
 */
async function authorizeRead(actor: Actor, row: ApprovalView): Promise<void> {
  const [mayDecide] = await db().$queryRaw<{ ok: boolean }[]>`
    SELECT ${await readable(actor)} AS ok FROM ${ROWS} WHERE q.id = ${row.id}::uuid`;
  if (mayDecide?.ok) return;
  const sees = (await check(actor, "observe", { project: row.projectId })) || (await check(actor, "observe", { cloud: row.cloudId }));
  if (!sees) throw approvalNotFound();
  throw await denial(actor, "manage", { type: "cloud", id: row.cloudId });
}

/** One queue row (GET /v1/approvals/{id}), under the same per-row check as the list. */
export async function getApproval(actor: Actor, id: string): Promise<ApprovalView> {
  const row = await findApproval(id);
  if (!row) throw approvalNotFound();
  await authorizeRead(actor, row);
  return row;
}

/** Proof that the actor may decide one queue row; the only way to approve or reject it. */
export interface ApprovalDecider {
  readonly approval: ApprovalView;
  approve(now?: Date): Promise<ApprovalView>;
  reject(reason: string, now?: Date): Promise<ApprovalView>;
}

/**
 * Approve and reject, for every door (/v1/approvals, the console's Approvals
 * page; June's /v1/credential-assignments/{id}/approve|reject reach the same
 * credential-assignment permit). The gate is asked before any body is read.
 */
export async function authorizeApprovalDecision(actor: Actor, id: string): Promise<ApprovalDecider> {
  const row = await findApproval(id);
  if (!row) throw approvalNotFound();
  if (row.kind === "credential_assignment") {
    const permit = await hiddenAsApproval(() => authorizeDecision(actor, row.id, "decide"));
    const after = async () => (await findApproval(row.id))!;
    return {
      approval: row,
      approve: async (now) => (await permit.decide("approve", undefined, now), after()),
      reject: async (reason, now) => (await permit.decide("reject", nonBlank(reason), now), after()),
    };
  }
  const permit = await authorizeCloudAssignmentDecision(actor, row.id, approvalNotFound);
  const after = async () => (await findApproval(row.id))!;
  return {
    approval: row,
    approve: async (now) => (await permit.approve(now), after()),
    reject: async (reason, now) => (await permit.reject(nonBlank(reason), now), after()),
  };
}

/** Reject says why: not blank (400 invalid_decision_reason), at most REASON_MAX characters. */
function nonBlank(reason: string): string {
  if (reason.trim().length === 0 || reason.length > REASON_MAX || hasControlCharacters(reason))
    throw new ValidationError("invalid_decision_reason", `the reason must be 1 to ${REASON_MAX} characters and not blank`);
  return reason;
}

/** The credential-assignment permit's not-found is the queue's not-found here. */
async function hiddenAsApproval<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isDomainError(error) && error.code === "credential_assignment_not_found") throw approvalNotFound();
    throw error;
  }
}

/** Proof that the actor is an emergency approver (platform#manage); the only way to break the glass on a row. */
export interface BreakGlass {
  readonly approval: ApprovalView;
  breakGlass(justification: string, now?: Date): Promise<ApprovalView>;
}

/**
 * Break-glass: a platform operator approves a waiting request alone, self
 * requests included, with a justification of BREAK_GLASS_REASON_MIN to
 * REASON_MAX characters. The contract allows it on `approval` rows only; we
 * have none and accept it on both assignment kinds (docs/api/contract-differences.md).
 * The justification is kept in the audit entry (an action of its own that the
 * Audit page marks), not on the row.
 */
export async function authorizeBreakGlass(actor: Actor, id: string): Promise<BreakGlass> {
  // The gate first: anyone else learns nothing about which ids exist.
  await authorize(actor, "manage", { platform: PLATFORM_ID });
  const row = await findApproval(id);
  if (!row) throw approvalNotFound();
  return {
    approval: row,
    breakGlass: async (justification, now = new Date()) => {
      checkJustification(justification);
      if (row.kind === "credential_assignment") await breakGlassAssignment(actor, row.id, justification, now);
      else await breakGlassCloudAssignment(actor, row.id, justification, now);
      return (await findApproval(row.id))!;
    },
  };
}

function checkJustification(justification: string): void {
  const length = [...justification.trim()].length;
  if (length < BREAK_GLASS_REASON_MIN || justification.length > REASON_MAX || hasControlCharacters(justification))
    throw new ValidationError(
      "invalid_break_glass_reason",
      `a break-glass justification is ${BREAK_GLASS_REASON_MIN} to ${REASON_MAX} characters`,
    );
}

export const INBOX_PAGE_LIMIT = 50;

/**
 * The console's inbox as SQL over `q`: waiting, asked by someone else, one
 * the actor may decide, and for a credential request, a credential still
 * active (a request for a revoked or expired one can no longer be approved).
 */
async function inboxCondition(actor: Actor, now: Date): Promise<Prisma.Sql> {
  if (!isUuid(actor.id)) return Prisma.sql`FALSE`;
  return Prisma.sql`q.state = 'requested' AND q.requested_by_id <> ${actor.id}::uuid AND ${await decidable(actor)}
    AND (q.kind = 'cloud_assignment' OR EXISTS (SELECT 1 FROM cloud_credentials cc WHERE cc.id = q.cloud_credential_id
         AND cc.revoked_at IS NULL AND cc.expired_at IS NULL AND cc.expires_at > ${now}))`;
}

/** Requests waiting for the actor's decision, both kinds, oldest first, in keyset pages of at most INBOX_PAGE_LIMIT. */
export async function pendingForDecision(
  actor: Actor,
  options: { limit?: number; after?: ApprovalCursor; now?: Date } = {},
): Promise<{ items: ApprovalView[]; next?: ApprovalCursor }> {
  const limit = Math.min(Math.max(1, options.limit ?? INBOX_PAGE_LIMIT), INBOX_PAGE_LIMIT);
  return page(await inboxCondition(actor, options.now ?? new Date()), limit, options.after);
}

/** How many requests wait for the actor, counted up to `cap` (the navigation shows "99+" beyond). */
export async function countPendingForDecision(actor: Actor, cap = 100, now = new Date()): Promise<number> {
  const [{ n }] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM ${ROWS} WHERE ${await inboxCondition(actor, now)} LIMIT ${cap}) capped`;
  return n;
}
