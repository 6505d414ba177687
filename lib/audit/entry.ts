import { randomUUID } from "node:crypto";
import { v7 as uuidv7 } from "uuid";

/** One audit entry as written; shared by the audit service and authorize() (which cannot import the service). */
export type AuditOutcome = "succeeded" | "denied" | "failed";

export interface AuditRecord {
  actorId: string | null;
  action: string;
  target: { type: string; id: string };
  cloudId?: string | null;
  outcome: AuditOutcome;
  reason?: string;
  correlationId?: string;
}

export function auditEntryData(entry: AuditRecord) {
  return {
    id: uuidv7(),
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    cloudId: entry.cloudId ?? null,
    outcome: entry.outcome,
    reason: entry.reason?.slice(0, 1024) ?? null,
    correlationId: entry.correlationId ?? randomUUID(),
  };
}

