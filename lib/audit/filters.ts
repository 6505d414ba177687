import { z } from "zod";
import { DomainError } from "@/lib/errors";
import type { AuditFilters } from "./service";

/** The audit filters as query parameters, shared by /audit and GET /v1/audit/entries. */
const filterSchema = z.object({
  cloud_id: z.string().uuid().optional(),
  actor_id: z.string().uuid().optional(),
  action: z.string().max(100).optional(),
  since: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
  until: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
});

export function auditFiltersFrom(params: URLSearchParams): AuditFilters {
  const raw = Object.fromEntries(["cloud_id", "actor_id", "action", "since", "until"].flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  const parsed = filterSchema.safeParse(raw);
  if (!parsed.success) throw new DomainError("invalid_filter", `bad filter: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`, 400);
  const f = parsed.data;
  return {
    cloudId: f.cloud_id,
    actorId: f.actor_id,
    action: f.action,
    since: f.since ? new Date(f.since) : undefined,
    until: f.until ? new Date(f.until) : undefined,
  };
}
