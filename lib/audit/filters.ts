import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { isStorableInstant, plainString } from "@/lib/validation";
import type { AuditFilters } from "./service";

// A date or a timestamp PostgreSQL can compare with ("0000-01-01" is valid ISO but no PostgreSQL date).
const instant = z
  .string()
  .datetime({ offset: true })
  .or(z.string().date())
  .refine((v) => isStorableInstant(v), "is outside the years 1 to 9999");

/** The audit filters as query parameters, shared by /audit and GET /v1/audit/entries. */
const filterSchema = z.object({
  cloud_id: z.string().uuid().optional(),
  actor_id: z.string().uuid().optional(),
  action: plainString(100).optional(),
  since: instant.optional(),
  until: instant.optional(),
});

export function auditFiltersFrom(params: URLSearchParams): AuditFilters {
  const raw = Object.fromEntries(
    ["cloud_id", "actor_id", "action", "since", "until"].flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])),
  );
  const parsed = filterSchema.safeParse(raw);
  if (!parsed.success)
    throw new DomainError("invalid_filter", `bad filter: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`, 400);
  const f = parsed.data;
  return {
    cloudId: f.cloud_id,
    actorId: f.actor_id,
    action: f.action,
    since: f.since ? new Date(f.since) : undefined,
    until: f.until ? new Date(f.until) : undefined,
  };
}

/** The console's extras over the /v1 filters: the denials toggle. */
export function consoleAuditFiltersFrom(params: URLSearchParams): AuditFilters {
  return { ...auditFiltersFrom(params), hideDenials: params.get("denials") === "hide" };
}

/**
 * A page position in the console's URLs, `<ISO instant>_<entry id>`: not
 * signed (it names an entry a platform admin may read anyway, and a
 * bookmarked page keeps working), only checked for shape.
 */
const positionSchema = z
  .string()
  .regex(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i);

export function auditPositionFrom(value: string | null): { at: string; id: string } | undefined {
  if (!value) return undefined;
  if (!positionSchema.safeParse(value).success || !isStorableInstant(value.split("_")[0]))
    throw new DomainError("invalid_cursor", "the page position is malformed", 400);
  const [at, id] = value.split("_");
  return { at, id };
}

export function auditPositionParam(position: { at: string; id: string }): string {
  return `${position.at}_${position.id}`;
}
