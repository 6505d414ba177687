import "server-only";
import type { Relation } from "@/lib/authz/schema";
import { authorize, type Actor, type SubjectType } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { finishPage, keysetClause, type Page } from "@/lib/lists/keyset";
import { isUuid } from "@/lib/validation";

/**
 * A Project's members are its relation tuples (`user:<id>` or `group:<id>`
 * holding `manage` or `deploy`). The console's Members card and
 * GET /v1/authz/relation-tuples read them through listProjectMembersPage:
 * one keyset page in the order they were granted, through the index on
 * (object_type, object_id, created_at, id) (migration
 * 20261203030000_project_members_index), never the whole set.
 */
export interface MemberCursor {
  createdAt: string;
  id: string;
}

export interface ProjectMember {
  /** The tuple's id (what DELETE /v1/authz/relation-tuples/{id} takes). */
  id: string;
  subjectType: SubjectType;
  subjectId: string;
  relation: Relation<"project">;
  createdAt: Date;
  /** The user's email or "group <name>", for people to read. */
  label: string;
}

export interface MemberListQuery {
  projectId: string;
  limit: number;
  after?: MemberCursor;
  before?: MemberCursor;
}

const cursorSql = (p: MemberCursor) => Prisma.sql`(${new Date(p.createdAt)}::timestamptz, ${p.id}::uuid)`;

/** The SQL of one page of a Project's tuples, oldest grant first; exported for the plan test (lib/lists/plans.test.ts). */
export function projectMembersSql(q: MemberListQuery): { sql: Prisma.Sql; backwards: boolean } {
  const keyset = keysetClause(Prisma.sql`(t.created_at, t.id)`, "asc", {
    after: q.after ? cursorSql(q.after) : undefined,
    before: q.before ? cursorSql(q.before) : undefined,
  });
  const dir = keyset.walk === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const sql = Prisma.sql`
    SELECT t.id::text AS id, t.subject_type AS "subjectType", t.subject_id AS "subjectId", t.relation, t.created_at AS "createdAt"
    FROM relation_tuples t
    WHERE t.object_type = 'project' AND t.object_id = ${q.projectId}
      ${keyset.where}
    ORDER BY t.created_at ${dir}, t.id ${dir}
    LIMIT ${q.limit + 1}`;
  return { sql, backwards: keyset.backwards };
}

type MemberRow = Omit<ProjectMember, "label" | "subjectType" | "relation"> & { subjectType: string; relation: string };

/** One page of a Project's members (project#observe); names are looked up for that page's subjects only. */
export async function listProjectMembersPage(actor: Actor, query: MemberListQuery): Promise<Page<ProjectMember, MemberCursor>> {
  await authorize(actor, "observe", { project: query.projectId });
  const { sql, backwards } = projectMembersSql(query);
  const rows = await db().$queryRaw<MemberRow[]>(sql);
  const ids = (type: string) => rows.filter((r) => r.subjectType === type && isUuid(r.subjectId)).map((r) => r.subjectId);
  const [users, groups] = await Promise.all([
    ids("user").length ? db().user.findMany({ where: { id: { in: ids("user") } }, select: { id: true, email: true } }) : [],
    ids("group").length ? db().group.findMany({ where: { id: { in: ids("group") } }, select: { id: true, displayName: true } }) : [],
  ]);
  const emails = new Map(users.map((u) => [u.id, u.email]));
  const groupNames = new Map(groups.map((g) => [g.id, g.displayName]));
  return finishPage(
    rows,
    query.limit,
    backwards,
    Boolean(query.after ?? query.before),
    (row): ProjectMember => {
      const group = row.subjectType === "group";
      return {
        id: row.id,
        subjectType: group ? "group" : "user",
        subjectId: row.subjectId,
        relation: row.relation as Relation<"project">,
        createdAt: row.createdAt,
        label: group ? `group ${groupNames.get(row.subjectId) ?? "(deleted group)"}` : (emails.get(row.subjectId) ?? "(deleted user)"),
      };
    },
    (m) => ({ createdAt: m.createdAt.toISOString(), id: m.id }),
  );
}
