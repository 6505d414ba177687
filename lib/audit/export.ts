import "server-only";
import type { Actor } from "@/lib/authz/service";
import { auditActionLabel } from "./action-names";
import { AUDIT_BATCH_MAX, listAuditEntries, type AuditFilters, type AuditPosition, type AuditView } from "./service";

export type AuditExportFormat = "csv" | "json";

/** The fields an export row carries: names and ids, never secret material (the trail holds none). */
export function auditExportRow(e: AuditView) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor_id: e.actorId,
    actor_email: e.actorEmail,
    action: e.action,
    action_label: auditActionLabel(e.action),
    outcome: e.outcome,
    target_type: e.targetType,
    target_id: e.targetId,
    target_name: e.targetName,
    cloud_id: e.cloudId,
    cloud_name: e.cloudName,
    reason: e.reason,
    repeat_count: e.repeatCount,
    correlation_id: e.correlationId,
  };
}

const COLUMNS = Object.keys(auditExportRow({ at: new Date(0) } as AuditView)) as (keyof ReturnType<typeof auditExportRow>)[];

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (= + - @, and
 * tab or carriage return before one) is prefixed with ' (OWASP CSV
 * injection); quotes, commas and line breaks are quoted.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Every entry of the filter, newest first, read in keyset batches through
 * the same list function as the page and /v1 (which authorizes each
 * batch), so memory stays one batch whatever the trail's size.
 */
export function auditExportStream(actor: Actor, filters: AuditFilters, format: AuditExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: AuditPosition | undefined;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      const page = await listAuditEntries(actor, filters, { limit: AUDIT_BATCH_MAX, before });
      let chunk = "";
      if (first) chunk += format === "csv" ? COLUMNS.join(",") + "\r\n" : "[";
      for (const entry of page.items) {
        const row = auditExportRow(entry);
        chunk +=
          format === "csv" ? COLUMNS.map((c) => csvCell(row[c])).join(",") + "\r\n" : `${first ? "\n" : ",\n"}${JSON.stringify(row)}`;
        first = false;
      }
      before = page.next;
      if (!before) {
        done = true;
        if (format === "json") chunk += first ? "]\n" : "\n]\n";
        controller.enqueue(encoder.encode(chunk));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}
