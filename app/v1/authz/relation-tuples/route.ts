import { DomainError } from "@/lib/errors";
import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { relationTupleCreateRequestSchema } from "@/lib/api/schemas";
import { grantProjectTuple, type ProjectTuple } from "@/lib/projects/service";
import { listProjectMembersPage, type MemberCursor, type ProjectMember } from "@/lib/projects/members";
import { authorize } from "@/lib/authz/service";
import { isUuid } from "@/lib/validation";

const toWire = (t: ProjectTuple) => ({ id: t.id, subject: t.subject, relation: t.relation, resource: t.resource, created_at: t.createdAt.toISOString() });
const memberToWire = (projectId: string, m: ProjectMember) =>
  toWire({ id: m.id, subject: `${m.subjectType}:${m.subjectId}`, relation: m.relation, resource: `project:${projectId}`, createdAt: m.createdAt });

function projectIdFrom(request: Request): string {
  const projectId = new URL(request.url).searchParams.get("project_id");
  if (!isUuid(projectId)) throw new DomainError("invalid_project_id", "project_id must be the UUID of a Project", 400);
  return projectId.toLowerCase();
}

/** Project membership as relation tuples: list (observe), keyset pages in grant order like the console's Members card, and create (manage). */
export const GET = apiRoute(async ({ request, caller }) => {
  const query = new URL(request.url).searchParams;
  const projectId = projectIdFrom(request);
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  const list = `relation-tuples:${projectId}`;
  const after = cursor ? await decodeCursor<MemberCursor>(caller.user.id, list, cursor) : undefined;
  const page = await listProjectMembersPage(caller.user, { projectId, limit, after });
  return json({
    items: page.items.map((m) => memberToWire(projectId, m)),
    ...(page.next ? { next_cursor: await encodeCursor(caller.user.id, list, page.next) } : {}),
  });
});

export const POST = apiRoute(async ({ request, caller }) => {
  const projectId = projectIdFrom(request);
  await authorize(caller.user, "manage", { project: projectId });
  const body = await readBody(request, relationTupleCreateRequestSchema);
  const subjectType = body.subject.split(":", 1)[0];
  if ((subjectType !== "user" && subjectType !== "group") || body.resource.toLowerCase() !== `project:${projectId}`) {
    throw new DomainError("invalid_body", "subject must be user:<id> or group:<id> and resource project:<project_id>", 400);
  }
  return json(toWire(await grantProjectTuple(caller.user, projectId, body.subject, body.relation)), 201);
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
