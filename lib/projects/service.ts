import "server-only";
import { v7 as uuidv7 } from "uuid";
import { recordAudit } from "@/lib/audit/service";
import { PLATFORM_ID, type Relation } from "@/lib/authz/schema";
import {
  authorize,
  authorizeOrHide,
  grant,
  visibleObjects,
  type Actor,
  type Subject,
  type SubjectType,
  type VisibleObjects,
} from "@/lib/authz/service";
import { db, uniqueViolation } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { finishPage, keysetClause, type Page } from "@/lib/lists/keyset";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { normaliseEmail } from "@/lib/names";
import { fieldErrorsOf, isUuid } from "@/lib/validation";
import { createProjectSchema } from "./schema";
import type { z } from "zod";

/**
 * Projects are created by platform admins; owners (`manage`) add and remove
 * members (`deploy`). A Cloud's manager makes the Cloud usable in a
 * Project; only usable Clouds' credentials are offered to it.
 */
export interface ProjectView {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

const PROJECT_COLUMNS = { id: true, slug: true, name: true, createdAt: true, updatedAt: true } as const;

/** Proof that the actor may create Projects (platform#manage); the only way to reach `create`. */
export interface ProjectCreator {
  create(input: z.input<typeof createProjectSchema>): Promise<ProjectView>;
}

export async function authorizeProjectCreate(actor: Actor): Promise<ProjectCreator> {
  await authorize(actor, "manage", { platform: PLATFORM_ID });
  return { create: (input) => create(actor, input) };
}

/** Both steps at once (the console's action and tests). */
export async function createProject(actor: Actor, input: z.input<typeof createProjectSchema>): Promise<ProjectView> {
  return (await authorizeProjectCreate(actor)).create(input);
}

async function create(actor: Actor, input: z.input<typeof createProjectSchema>): Promise<ProjectView> {
  const checked = createProjectSchema.safeParse(input);
  if (!checked.success)
    throw new ValidationError("invalid_project", checked.error.issues[0]?.message ?? "invalid project", fieldErrorsOf(checked.error));
  try {
    return await db().$transaction(async (tx) => {
      const project = await tx.project.create({
        data: { id: uuidv7(), slug: checked.data.slug, name: checked.data.name, createdById: actor.id },
        select: PROJECT_COLUMNS,
      });
      await recordAudit(
        { actorId: actor.id, action: "project.create", target: { type: "project", id: project.id }, outcome: "succeeded" },
        tx,
      );
      return project;
    });
  } catch (error) {
    if (uniqueViolation(error) === "projects_slug_key") {
      throw new ConflictError("project_slug_conflict", "A Project with this slug already exists.", {
        slug: "A Project with this slug already exists.",
      });
    }
    throw error;
  }
}

export interface ProjectListQuery {
  limit: number;
  after?: string;
  before?: string;
  /** Leaves out the Projects a Cloud is usable in or asked for (the Cloud page's "make usable in": a grant there would be 409). */
  notUsingCloud?: string;
}

/** The SQL of one slug-ordered page of Projects; `visible` narrows it to what the actor observes. */
export function projectsSql(q: ProjectListQuery, visible: VisibleObjects): { sql: Prisma.Sql; backwards: boolean } {
  const keyset = keysetClause(Prisma.sql`p.slug`, "asc", {
    after: q.after !== undefined ? Prisma.sql`${q.after}` : undefined,
    before: q.before !== undefined ? Prisma.sql`${q.before}` : undefined,
  });
  const dir = keyset.walk === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const sql = Prisma.sql`
    SELECT p.id::text AS id, p.slug, p.name, p.created_at AS "createdAt", p.updated_at AS "updatedAt"
    FROM projects p
    WHERE TRUE
      ${visible.kind === "all" ? Prisma.empty : Prisma.sql`AND ${visible.where(Prisma.sql`p.id`)}`}
      ${
        q.notUsingCloud
          ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM cloud_assignments ca WHERE ca.cloud_id = ${q.notUsingCloud}::uuid
                                    AND ca.project_id = p.id AND ca.state IN ('requested', 'approved'))`
          : Prisma.empty
      }
      ${keyset.where}
    ORDER BY p.slug ${dir}
    LIMIT ${q.limit + 1}`;
  return { sql, backwards: keyset.backwards };
}

/** One keyset page of the Projects the actor observes, slug-ordered: the /v1 list and the console's Projects page. */
export async function listProjectsPage(actor: Actor, q: ProjectListQuery): Promise<Page<ProjectView, string>> {
  if (q.notUsingCloud !== undefined && !isUuid(q.notUsingCloud)) return { items: [] };
  const { sql, backwards } = projectsSql(q, await visibleObjects(actor, "observe", "project"));
  const rows = await db().$queryRaw<ProjectView[]>(sql);
  return finishPage(
    rows,
    q.limit,
    backwards,
    q.after !== undefined || q.before !== undefined,
    (row) => row,
    (project) => project.slug,
  );
}

export async function getProject(actor: Actor, projectId: string): Promise<ProjectView> {
  await authorize(actor, "observe", { project: projectId });
  const project = isUuid(projectId) ? await db().project.findUnique({ where: { id: projectId }, select: PROJECT_COLUMNS }) : null;
  if (!project) throw new NotFoundError("project_not_found", "This Project does not exist.");
  return project;
}

/** Adds `relation` for the user with this email; owners (project#manage) only. */
export async function addMember(actor: Actor, projectId: string, email: string, relation: Relation<"project">): Promise<void> {
  await authorize(actor, "manage", { project: projectId });
  await getProject(actor, projectId);
  const user = await db().user.findUnique({ where: { email: normaliseEmail(email) }, select: { id: true } });
  if (!user) throw new ValidationError("unknown_user", "No account has this email.", { email: "No account has this email." });
  await db().$transaction(async (tx) => {
    await grant(tx, { type: "project", id: projectId }, relation, user.id);
    await recordAudit(
      {
        actorId: actor.id,
        action: "relation.grant",
        target: { type: "project", id: projectId },
        outcome: "succeeded",
        reason: `${relation} to ${user.id}`,
      },
      tx,
    );
  });
}

export async function removeMember(
  actor: Actor,
  projectId: string,
  userId: string,
  relation: Relation<"project">,
  subjectType: SubjectType = "user",
): Promise<void> {
  await authorize(actor, "manage", { project: projectId });
  if (!isUuid(userId) || (relation !== "manage" && relation !== "deploy"))
    throw new ValidationError("invalid_body", "unknown user or relation");
  await db().$transaction(async (tx) => {
    const { count } = await tx.relationTuple.deleteMany({
      where: { objectType: "project", objectId: projectId, relation, subjectType, subjectId: userId },
    });
    if (count > 0) {
      await recordAudit(
        {
          actorId: actor.id,
          action: "relation.revoke",
          target: { type: "project", id: projectId },
          outcome: "succeeded",
          reason: `${relation} from ${subjectType}:${userId}`,
        },
        tx,
      );
    }
  });
}

// A Cloud's manager making it usable in a Project, and a Project asking for a Cloud: ./cloud-assignments.ts.
export { assignCloudToProject, authorizeCloudAssign, type CloudAssigner } from "./cloud-assignments";

export interface ProjectTuple {
  id: string;
  subject: string;
  relation: string;
  resource: string;
  createdAt: Date;
}

/**
 * Resolves a tuple subject (`user:<id>` or `group:<id>`) to an existing
 * user or group; anything else is `unknown_subject`.
 */
export async function resolveSubject(subject: string, code = "unknown_subject"): Promise<Subject> {
  const [type, rawId, ...rest] = subject.split(":");
  const id = (rawId ?? "").toLowerCase();
  if (rest.length === 0 && isUuid(id)) {
    if (type === "user" && (await db().user.findUnique({ where: { id }, select: { id: true } }))) return { type: "user", id };
    if (type === "group" && (await db().group.findUnique({ where: { id }, select: { id: true } }))) return { type: "group", id };
  }
  throw new ValidationError(code, "subject must be user:<id> or group:<id> of an existing user or group");
}

/** Proof that the actor owns a Project (project#manage); the only way to grant its member tuples. */
export interface ProjectGranter {
  readonly projectId: string;
  grant(subject: string, relation: string): Promise<ProjectTuple>;
}

export async function authorizeGrant(actor: Actor, projectId: string): Promise<ProjectGranter> {
  await authorize(actor, "manage", { project: projectId });
  return { projectId, grant: (subject, relation) => grantTuple(actor, projectId, subject, relation) };
}

/** Grants a member relation to a user or group subject; owners only. Returns the tuple. */
export async function grantProjectTuple(actor: Actor, projectId: string, subject: string, relation: string): Promise<ProjectTuple> {
  return (await authorizeGrant(actor, projectId)).grant(subject, relation);
}

async function grantTuple(actor: Actor, projectId: string, subject: string, relation: string): Promise<ProjectTuple> {
  // invalid_triple: the newest contract's code for a tuple the schema cannot hold (relation, subject type, object).
  if (relation !== "manage" && relation !== "deploy") throw new ValidationError("invalid_triple", "relation must be manage or deploy");
  const resolved = await resolveSubject(subject, "invalid_triple");
  await getProject(actor, projectId);
  await db().$transaction(async (tx) => {
    await grant(tx, { type: "project", id: projectId }, relation, resolved);
    await recordAudit(
      {
        actorId: actor.id,
        action: "relation.grant",
        target: { type: "project", id: projectId },
        outcome: "succeeded",
        reason: `${relation} to ${resolved.type}:${resolved.id}`,
      },
      tx,
    );
  });
  const tuple = await db().relationTuple.findFirstOrThrow({
    where: { objectType: "project", objectId: projectId, relation, subjectType: resolved.type, subjectId: resolved.id },
  });
  return {
    id: tuple.id,
    subject: `${resolved.type}:${resolved.id}`,
    relation,
    resource: `project:${projectId}`,
    createdAt: tuple.createdAt,
  };
}

/** A member tuple that is absent, or on a Project the caller may not see, is answered alike. */
const tupleNotFound = () => new NotFoundError("relation_tuple_not_found", "no such relation tuple");

type MemberTuple = { id: string; objectId: string; relation: string; subjectType: string; subjectId: string };

/** Proof that the actor owns the Project a member tuple is on; the only way to replace or remove it. */
export interface TupleEditor {
  readonly tupleId: string;
  replace(replacement: { subject: string; relation: string; resource: string }): Promise<ProjectTuple>;
  remove(): Promise<void>;
}

/** The tuple is read first, its Project from the row; absent and unseen tuples are answered alike. */
export async function authorizeTupleEdit(actor: Actor, tupleId: string): Promise<TupleEditor> {
  const tuple = isUuid(tupleId) ? await db().relationTuple.findUnique({ where: { id: tupleId.toLowerCase() } }) : null;
  if (!tuple || tuple.objectType !== "project") throw tupleNotFound();
  await authorizeOrHide(actor, "manage", { project: tuple.objectId }, tupleNotFound);
  return {
    tupleId: tuple.id,
    replace: (replacement) => replaceTuple(actor, tuple, replacement),
    remove: () =>
      removeMember(
        actor,
        tuple.objectId,
        tuple.subjectId,
        tuple.relation as Relation<"project">,
        tuple.subjectType === "group" ? "group" : "user",
      ),
  };
}

/** Deletes a member tuple by id; owners of its Project only. */
export async function deleteProjectTuple(actor: Actor, tupleId: string): Promise<void> {
  await (await authorizeTupleEdit(actor, tupleId)).remove();
}

/** The Projects a Cloud is usable in (an approved assignment; the first `limit`, slug-ordered); anyone who observes the Cloud may see them. */
export async function projectsUsingCloud(actor: Actor, cloudId: string, limit = 100): Promise<ProjectView[]> {
  await authorize(actor, "observe", { cloud: cloudId });
  if (!isUuid(cloudId)) return [];
  return db().project.findMany({
    where: { cloudAssignments: { some: { cloudId, state: "approved" } } },
    orderBy: { slug: "asc" },
    select: PROJECT_COLUMNS,
    take: limit,
  });
}

/**
 * PATCH of a member tuple, as the contract has it: delete, then write the
 * full replacement, in one transaction so no reader sees the member gone.
 * The replacement stays on the tuple's own Project (owners of one Project
 * cannot move members into another).
 */
export async function replaceProjectTuple(
  actor: Actor,
  tupleId: string,
  replacement: { subject: string; relation: string; resource: string },
): Promise<ProjectTuple> {
  return (await authorizeTupleEdit(actor, tupleId)).replace(replacement);
}

async function replaceTuple(
  actor: Actor,
  tuple: MemberTuple,
  replacement: { subject: string; relation: string; resource: string },
): Promise<ProjectTuple> {
  const projectId = tuple.objectId;
  if (replacement.resource.toLowerCase() !== `project:${projectId}`) {
    throw new ValidationError("invalid_triple", "subject must be user:<id> or group:<id> and resource the tuple's own project:<id>");
  }
  if (replacement.relation !== "manage" && replacement.relation !== "deploy")
    throw new ValidationError("invalid_triple", "relation must be manage or deploy");
  const relation: Relation<"project"> = replacement.relation;
  const subject = await resolveSubject(replacement.subject, "invalid_triple");
  return db().$transaction(async (tx) => {
    const { count } = await tx.relationTuple.deleteMany({ where: { id: tuple.id } });
    if (count === 0) throw new NotFoundError("relation_tuple_not_found", "no such relation tuple");
    await grant(tx, { type: "project", id: projectId }, relation, subject);
    const written = await tx.relationTuple.findFirstOrThrow({
      where: { objectType: "project", objectId: projectId, relation, subjectType: subject.type, subjectId: subject.id },
    });
    await recordAudit(
      {
        actorId: actor.id,
        action: "relation.replace",
        target: { type: "project", id: projectId },
        outcome: "succeeded",
        reason: `${tuple.relation} of ${tuple.subjectType}:${tuple.subjectId} -> ${relation} of ${subject.type}:${subject.id}`,
      },
      tx,
    );
    return {
      id: written.id,
      subject: `${subject.type}:${subject.id}`,
      relation,
      resource: `project:${projectId}`,
      createdAt: written.createdAt,
    };
  });
}
