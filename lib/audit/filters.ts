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

/** The decision reasons the chain reads name (GET …/audit/entries `reason`); `granted` is every entry that succeeded. */
export const CHAIN_REASONS = ["granted", "out_of_scope", "insufficient_relation", "caveat_violation", "unknown"] as const;
export type ChainReason = (typeof CHAIN_REASONS)[number];

/** The filters of GET /v1/domains/{id}/audit/entries and /v1/platform/audit/entries. */
export interface ChainFilters {
  /** A subject pseudonym (lib/audit/pseudonym.ts), 64 lower-case hex. */
  subject?: string;
  relation?: string;
  objectType?: string;
  objectId?: string;
  reason?: ChainReason;
  /** Inclusive. */
  from?: Date;
  to?: Date;
  correlationId?: string;
}

const rfc3339 = z
  .string()
  .datetime({ offset: true })
  .refine((v) => isStorableInstant(v), "is outside the years 1 to 9999");

const chainFilterSchema = z
  .object({
    subject: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "is not a 64-character hex pseudonym")
      .transform((v) => v.toLowerCase())
      .optional(),
    relation: plainString(100).optional(),
    object_type: plainString(100).optional(),
    object_id: plainString(512).optional(),
    reason: z.enum(CHAIN_REASONS).optional(),
    from: rfc3339.optional(),
    to: rfc3339.optional(),
    correlation_id: plainString(512).optional(),
  })
  .refine((f) => !f.from || !f.to || new Date(f.to) >= new Date(f.from), { message: "is before from", path: ["to"] });

const CHAIN_FILTER_NAMES = ["subject", "relation", "object_type", "object_id", "reason", "from", "to", "correlation_id"];

/** Query parameters to filters; anything malformed (a subject that is not hex, `to` before `from`) is 400 invalid_filter naming it. */
export function chainFiltersFrom(params: URLSearchParams): ChainFilters {
  const raw = Object.fromEntries(CHAIN_FILTER_NAMES.flatMap((k) => (params.get(k) !== null ? [[k, params.get(k)!]] : [])));
  const parsed = chainFilterSchema.safeParse(raw);
  if (!parsed.success)
    throw new DomainError(
      "invalid_filter",
      `bad filter: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join(", ")}`,
      400,
    );
  const f = parsed.data;
  return {
    subject: f.subject,
    relation: f.relation,
    objectType: f.object_type,
    objectId: f.object_id,
    reason: f.reason,
    from: f.from ? new Date(f.from) : undefined,
    to: f.to ? new Date(f.to) : undefined,
    correlationId: f.correlation_id,
  };
}
