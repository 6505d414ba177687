import "server-only";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { db, type Db, type Tx } from "@/lib/db/client";
import { PermissionDeniedError } from "@/lib/errors";
import { check, type Actor } from "@/lib/authz/service";
import type { AuditAction } from "./action-names";
import { recordDenial } from "./denials";
import { auditEntryData, auditText, type AuditOutcome, type AuditRecord } from "./entry";
import { correlationId as requestCorrelationId } from "@/lib/http/correlation";

export { auditEntryData, type AuditOutcome, type AuditRecord } from "./entry";

/**
 * The audit trail: one row per decision (issue, revoke, rotate, validate,
 * grant, every permission denial, ...). Rows are only ever inserted; the
 * table itself refuses UPDATE, DELETE and TRUNCATE (see its migration).
 * Entries name ids and outcomes, never secret material.
 */
/**
 * Records a denial decided outside authorize() (e.g. "tokens only for
 * yourself") and returns the error to throw, carrying the entry's id.
 */
export async function deny(
  actorId: string,
  action: AuditAction,
  target: { type: string; id: string },
  reason = "insufficient_relation",
): Promise<PermissionDeniedError> {
  // The request's own id (lib/http/correlation.ts): the answer, its header and this entry name the same one.
  const correlationId = requestCorrelationId();
  await recordDenial({ actorId, action, target, reason, correlationId });
  return new PermissionDeniedError(`denied ${action}`, correlationId);
}

/** Appends one entry; pass the transaction's client to commit it with the change it records. */
export async function recordAudit(entry: AuditRecord, client: Db | Tx = db()): Promise<void> {
  await client.auditEntry.create({ data: await auditEntryData(entry) });
}

/** A credential or an assignment, named with the Cloud it belongs to (entries are filtered by Cloud). */
export interface CloudObject {
  type: "cloud_credential" | "credential_assignment";
  id: string;
  cloudId: string;
}

/**
 * One entry about something that happened to a Cloud's credential or
 * assignment, in `client`'s transaction. Without `actorId` the system did it
 * (the expiry sweep, the outbox worker, the reconciler).
 */
export async function recordOnCloudObject(
  client: Db | Tx,
  action: AuditAction,
  object: CloudObject,
  detail: { actorId?: string | null; outcome?: AuditOutcome; reason?: string },
): Promise<void> {
  const { type, id, cloudId } = object;
  await recordAudit(
    {
      actorId: detail.actorId ?? null,
      action,
      target: { type, id },
      cloudId,
      outcome: detail.outcome ?? "succeeded",
      reason: detail.reason,
    },
    client,
  );
}

export interface AuditFilters {
  cloudId?: string;
  actorId?: string;
  action?: string;
  since?: Date;
  until?: Date;
  /** Leave out `denied` entries (the console's toggle). */
  hideDenials?: boolean;
}

export interface AuditView {
  id: string;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string;
  /** The target's name now (a Cloud's or credential's display name, a Project's name, a user's email); null when unknown or gone. */
  targetName: string | null;
  cloudId: string | null;
  cloudName: string | null;
  outcome: string;
  reason: string | null;
  correlationId: string;
  /** Identical denials this entry stands for (lib/audit/denials.ts). */
  repeatCount: number;
}

export type AuditPosition = { at: string; id: string };

/** The most entries one call returns: pages show 50, exports read in batches of this. */
export const AUDIT_BATCH_MAX = 500;

/**
 * Newest first, keyset-paged in either direction; platform admins only.
 * `before` reads the next (older) page, `after` the previous (newer) one.
 * Names are looked up for the page's ids only, so a page costs the same at
 * any size of the trail.
 */
export async function listAuditEntries(
  actor: Actor,
  filters: AuditFilters,
  page: { limit: number; before?: AuditPosition; after?: AuditPosition },
): Promise<{ items: AuditView[]; next?: AuditPosition; prev?: AuditPosition }> {
  if (!(await check(actor, "manage", { platform: PLATFORM_ID })))
    throw await deny(actor.id, "audit.read", { type: "platform", id: PLATFORM_ID });
  const limit = Math.min(Math.max(1, page.limit), AUDIT_BATCH_MAX);
  const { before, after } = page;
  const newer = !before && after !== undefined;
  const rows = await db().auditEntry.findMany({
    where: {
      ...(filters.cloudId ? { cloudId: filters.cloudId } : {}),
      ...(filters.actorId ? { actorId: filters.actorId } : {}),
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.hideDenials ? { outcome: { not: "denied" } } : {}),
      ...(filters.since || filters.until
        ? { at: { ...(filters.since ? { gte: filters.since } : {}), ...(filters.until ? { lt: filters.until } : {}) } }
        : {}),
      ...(before ? { OR: [{ at: { lt: new Date(before.at) } }, { at: new Date(before.at), id: { lt: before.id } }] } : {}),
      ...(newer ? { OR: [{ at: { gt: new Date(after.at) } }, { at: new Date(after.at), id: { gt: after.id } }] } : {}),
    },
    orderBy: newer ? [{ at: "asc" }, { id: "asc" }] : [{ at: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  if (newer) shown.reverse();
  const names = await namesFor(shown);
  const items = shown.map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actorId,
    actorEmail: r.actorId ? (names.users.get(r.actorId) ?? null) : null,
    // Cleaned again on the way out: rows written before the trail cleaned its input are shown safely too.
    action: auditText(r.action),
    targetType: auditText(r.targetType),
    targetId: auditText(r.targetId),
    targetName: names.target(r.targetType, r.targetId),
    cloudId: r.cloudId,
    cloudName: r.cloudId ? (names.clouds.get(r.cloudId) ?? null) : null,
    outcome: r.outcome,
    reason: r.reason === null ? null : auditText(r.reason),
    correlationId: auditText(r.correlationId),
    repeatCount: r.repeatCount,
  }));
  const first = items[0];
  const last = items[items.length - 1];
  const position = (e: AuditView): AuditPosition => ({ at: e.at.toISOString(), id: e.id });
  return {
    items,
    next: last && (newer || more) ? position(last) : undefined,
    prev: first && (newer ? more : before !== undefined) ? position(first) : undefined,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One query per kind of name, for the ids on one page (targets are free text: only UUIDs are looked up). */
async function namesFor(rows: { actorId: string | null; targetType: string; targetId: string; cloudId: string | null }[]) {
  const ids = (type: string | null) => [
    ...new Set(
      rows
        .filter((r) => type === null || r.targetType === type)
        .map((r) => r.targetId)
        .filter((id) => UUID.test(id)),
    ),
  ];
  const userIds = [...new Set([...rows.map((r) => r.actorId).filter((id): id is string => id !== null), ...ids("user")])];
  const cloudIds = [...new Set([...rows.map((r) => r.cloudId).filter((id): id is string => id !== null), ...ids("cloud")])];
  const credentialIds = ids("cloud_credential");
  const projectIds = ids("project");
  const [users, clouds, credentials, projects] = await Promise.all([
    userIds.length ? db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [],
    cloudIds.length ? db().cloud.findMany({ where: { id: { in: cloudIds } }, select: { id: true, displayName: true } }) : [],
    credentialIds.length
      ? db().cloudCredential.findMany({ where: { id: { in: credentialIds } }, select: { id: true, displayName: true } })
      : [],
    projectIds.length ? db().project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } }) : [],
  ]);
  const maps = {
    users: new Map(users.map((u) => [u.id, u.email])),
    clouds: new Map(clouds.map((c) => [c.id, c.displayName])),
    credentials: new Map(credentials.map((c) => [c.id, c.displayName])),
    projects: new Map(projects.map((p) => [p.id, p.name])),
  };
  const byType: Record<string, Map<string, string>> = {
    user: maps.users,
    cloud: maps.clouds,
    cloud_credential: maps.credentials,
    project: maps.projects,
  };
  return { ...maps, target: (type: string, id: string) => byType[type]?.get(id) ?? null };
}

/** What the filter lists offer: people and Clouds by name, each list bounded. */
export const AUDIT_FILTER_OPTIONS_MAX = 200;

export async function listAuditFilterOptions(
  actor: Actor,
  selected: { actorId?: string; cloudId?: string } = {},
): Promise<{ actors: { id: string; label: string }[]; clouds: { id: string; label: string }[]; truncated: boolean }> {
  if (!(await check(actor, "manage", { platform: PLATFORM_ID })))
    throw await deny(actor.id, "audit.read", { type: "platform", id: PLATFORM_ID });
  const [users, clouds] = await Promise.all([
    db().user.findMany({
      orderBy: [{ email: "asc" }],
      take: AUDIT_FILTER_OPTIONS_MAX + 1,
      select: { id: true, email: true },
    }),
    db().cloud.findMany({
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      take: AUDIT_FILTER_OPTIONS_MAX + 1,
      select: { id: true, displayName: true, slug: true },
    }),
  ]);
  // A selection beyond the bounded list is still offered, so the form shows what filters the page.
  const extraUser =
    selected.actorId && !users.some((u) => u.id === selected.actorId)
      ? await db().user.findUnique({ where: { id: selected.actorId }, select: { id: true, email: true } })
      : null;
  const extraCloud =
    selected.cloudId && !clouds.some((c) => c.id === selected.cloudId)
      ? await db().cloud.findUnique({ where: { id: selected.cloudId }, select: { id: true, displayName: true, slug: true } })
      : null;
  const truncated = users.length > AUDIT_FILTER_OPTIONS_MAX || clouds.length > AUDIT_FILTER_OPTIONS_MAX;
  return {
    actors: [...users.slice(0, AUDIT_FILTER_OPTIONS_MAX), ...(extraUser ? [extraUser] : [])].map((u) => ({ id: u.id, label: u.email })),
    clouds: [...clouds.slice(0, AUDIT_FILTER_OPTIONS_MAX), ...(extraCloud ? [extraCloud] : [])].map((c) => ({
      id: c.id,
      label: `${c.displayName} (${c.slug})`,
    })),
    truncated,
  };
}
