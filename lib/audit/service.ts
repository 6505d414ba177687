import "server-only";
import { randomUUID } from "node:crypto";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { db, type Db, type Tx } from "@/lib/db/client";
import { PermissionDeniedError } from "@/lib/errors";
import { check, type Actor } from "@/lib/authz/service";
import { recordDenial } from "./denials";
import { auditEntryData, auditText, type AuditRecord } from "./entry";

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
  action: string,
  target: { type: string; id: string },
  reason = "insufficient_relation",
): Promise<PermissionDeniedError> {
  const correlationId = randomUUID();
  await recordDenial({ actorId, action, target, reason, correlationId });
  return new PermissionDeniedError(`denied ${action}`, correlationId);
}

/** Appends one entry; pass the transaction's client to commit it with the change it records. */
export async function recordAudit(entry: AuditRecord, client: Db | Tx = db()): Promise<void> {
  await client.auditEntry.create({ data: auditEntryData(entry) });
}

export interface AuditFilters {
  cloudId?: string;
  actorId?: string;
  action?: string;
  since?: Date;
  until?: Date;
}

export interface AuditView {
  id: string;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string;
  cloudId: string | null;
  outcome: string;
  reason: string | null;
  correlationId: string;
  /** Identical denials this entry stands for (lib/audit/denials.ts). */
  repeatCount: number;
}

/** Newest first, keyset-paged; platform admins only. */
export async function listAuditEntries(
  actor: Actor,
  filters: AuditFilters,
  page: { limit: number; before?: { at: string; id: string } },
): Promise<{ items: AuditView[]; next?: { at: string; id: string } }> {
  if (!(await check(actor, "manage", { platform: PLATFORM_ID }))) throw await deny(actor.id, "audit.read", { type: "platform", id: PLATFORM_ID });
  const before = page.before;
  const rows = await db().auditEntry.findMany({
    where: {
      ...(filters.cloudId ? { cloudId: filters.cloudId } : {}),
      ...(filters.actorId ? { actorId: filters.actorId } : {}),
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.since || filters.until ? { at: { ...(filters.since ? { gte: filters.since } : {}), ...(filters.until ? { lt: filters.until } : {}) } } : {}),
      ...(before ? { OR: [{ at: { lt: new Date(before.at) } }, { at: new Date(before.at), id: { lt: before.id } }] } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: page.limit + 1,
  });
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => id !== null))];
  const emails = new Map(
    (await db().user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
  );
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actorId,
    actorEmail: r.actorId ? (emails.get(r.actorId) ?? null) : null,
    // Cleaned again on the way out: rows written before the trail cleaned its input are shown safely too.
    action: auditText(r.action),
    targetType: auditText(r.targetType),
    targetId: auditText(r.targetId),
    cloudId: r.cloudId,
    outcome: r.outcome,
    reason: r.reason === null ? null : auditText(r.reason),
    correlationId: auditText(r.correlationId),
    repeatCount: r.repeatCount,
  }));
  const last = items[items.length - 1];
  return { items, next: rows.length > page.limit ? { at: last.at.toISOString(), id: last.id } : undefined };
}
