import "server-only";
import { Prisma } from "@/lib/db/generated/client.ts";
import { actorHolds, type Actor, type VisibleObjects } from "@/lib/authz/service";
import { containsPattern, keysetClause, type Direction } from "@/lib/lists/keyset";
import { CREDENTIAL_COLUMNS as COLUMNS, REVOCATION } from "./row";

/**
 * The SQL of every credential list, written out so that tests can EXPLAIN
 * exactly what the pages run (lib/lists/plans.test.ts). Status filters are
 * spelled like the partial indexes' predicates (migration
 * 20261202020000_list_indexes), so the planner can use them.
 */
export const CREDENTIAL_STATUS_FILTERS = ["all", "active", "expired", "revoked"] as const;
export type CredentialStatusFilter = (typeof CREDENTIAL_STATUS_FILTERS)[number];

/** Keyset position in creation order. */
export interface CredentialCursor {
  createdAt: string;
  id: string;
}

export interface CloudCredentialQuery {
  cloudId: string;
  /** Page size; the /v1 list and the Cloud page pass theirs. */
  limit: number;
  order?: Direction;
  after?: CredentialCursor;
  before?: CredentialCursor;
  status?: CredentialStatusFilter;
  search?: string;
  now?: Date;
}

function statusPredicate(status: CredentialStatusFilter, now: Date): Prisma.Sql {
  switch (status) {
    case "active":
      return Prisma.sql`AND c.revoked_at IS NULL AND c.expired_at IS NULL AND c.expires_at > ${now}`;
    case "revoked":
      return Prisma.sql`AND c.revoked_at IS NOT NULL`;
    case "expired":
      // Stamped by the sweeper; one whose expiry passed since its last tick (at most an interval ago) joins at the next.
      return Prisma.sql`AND c.revoked_at IS NULL AND c.expired_at IS NOT NULL`;
    default:
      return Prisma.empty;
  }
}

const cursorSql = (p: CredentialCursor) => Prisma.sql`(${new Date(p.createdAt)}::timestamptz, ${p.id}::uuid)`;

/** One page of a Cloud's credentials: filter, search and order in the database. */
export function cloudCredentialsSql(q: CloudCredentialQuery): { sql: Prisma.Sql; backwards: boolean } {
  const order = q.order ?? "asc";
  const keyset = keysetClause(Prisma.sql`(c.created_at, c.id)`, order, {
    after: q.after ? cursorSql(q.after) : undefined,
    before: q.before ? cursorSql(q.before) : undefined,
  });
  const pattern = containsPattern(q.search);
  const dir = keyset.walk === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const sql = Prisma.sql`
    SELECT ${COLUMNS}
    FROM cloud_credentials c LEFT JOIN ${REVOCATION} ON TRUE
    WHERE c.cloud_id = ${q.cloudId}::uuid
      ${statusPredicate(q.status ?? "all", q.now ?? new Date())}
      ${pattern ? Prisma.sql`AND c.display_name ILIKE ${pattern}` : Prisma.empty}
      ${keyset.where}
    ORDER BY c.created_at ${dir}, c.id ${dir}
    LIMIT ${q.limit + 1}`;
  return { sql, backwards: keyset.backwards };
}

export const credentialPosition = (c: { createdAt: Date; id: string }): CredentialCursor => ({
  createdAt: c.createdAt.toISOString(),
  id: c.id,
});

/** Position in expiry order, soonest first. */
export interface ExpiryCursor {
  expiresAt: string;
  id: string;
}

/**
 * Live credentials expiring in (now, until], soonest first, in the Clouds
 * the viewer sees (`clouds`, lib/authz/service.ts), with their Cloud's slug and whether
 * `viewer` may manage that Cloud (the page offers Renew and Rotate then):
 * asked per row in this statement, so the page costs the same however many
 * Clouds it shows.
 */
export function expiringSql(q: {
  viewer: Actor;
  clouds: VisibleObjects;
  now: Date;
  until: Date;
  limit: number;
  after?: ExpiryCursor;
  before?: ExpiryCursor;
}) {
  const pos = (p: ExpiryCursor) => Prisma.sql`(${new Date(p.expiresAt)}::timestamptz, ${p.id}::uuid)`;
  const keyset = keysetClause(Prisma.sql`(c.expires_at, c.id)`, "asc", {
    after: q.after ? pos(q.after) : undefined,
    before: q.before ? pos(q.before) : undefined,
  });
  const dir = keyset.walk === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const live = Prisma.sql`c.revoked_at IS NULL AND c.expired_at IS NULL AND c.expires_at > ${q.now} AND c.expires_at <= ${q.until} ${keyset.where}`;
  // For a few Clouds: at most a page from each Cloud (its live-by-expiry index), then the soonest of those,
  // so an observer of a few Clouds never walks everyone else's credentials. For all or many: the soonest
  // of everyone's, each row asked whether the viewer sees its Cloud.
  const source =
    q.clouds.kind === "all"
      ? Prisma.sql`cloud_credentials c WHERE ${live}`
      : q.clouds.kind === "many"
        ? Prisma.sql`cloud_credentials c WHERE ${live} AND ${q.clouds.where(Prisma.sql`c.cloud_id`)}`
        : Prisma.sql`(${q.clouds.ids}) AS v(cloud_id)
          CROSS JOIN LATERAL (
            SELECT c.* FROM cloud_credentials c
            WHERE c.cloud_id = v.cloud_id AND ${live}
            ORDER BY c.expires_at ${dir}, c.id ${dir}
            LIMIT ${q.limit + 1}) c`;
  const sql = Prisma.sql`
    SELECT ${COLUMNS}, cl.slug AS "cloudSlug", ${actorHolds(q.viewer, "manage", "cloud", Prisma.sql`cl.id`)} AS "mayManage"
    FROM (SELECT c.* FROM ${source} ORDER BY c.expires_at ${dir}, c.id ${dir} LIMIT ${q.limit + 1}) c
      JOIN clouds cl ON cl.id = c.cloud_id
      LEFT JOIN ${REVOCATION} ON TRUE
    ORDER BY c.expires_at ${dir}, c.id ${dir}`;
  return { sql, backwards: keyset.backwards };
}
