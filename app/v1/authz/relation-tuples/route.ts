import { DomainError } from "@/lib/errors";
import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { relationTupleCreateRequestSchema } from "@/lib/api/schemas";
import { authorizeGrant } from "@/lib/projects/service";
import { listProjectMembersPage, type MemberCursor } from "@/lib/projects/members";
import { memberToWire, tupleToWire } from "@/lib/api/wire";
import { isUuid } from "@/lib/validation";

function projectIdFrom(query: URLSearchParams): string {
  const projectId = query.get("project_id");
  if (!isUuid(projectId)) throw new DomainError("invalid_project_id", "project_id must be the UUID of a Project", 400);
  return projectId.toLowerCase();
}

/** Project membership as relation tuples: list (observe), keyset pages in grant order like the console's Members card, and create (manage). */
export const GET = route({
  authorize: signedIn,
  handle: async ({ permit, query }) => {
    const projectId = projectIdFrom(query);
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const list = `relation-tuples:${projectId}`;
    const after = cursor ? await decodeCursor<MemberCursor>(permit.id, list, cursor) : undefined;
    const page = await listProjectMembersPage(permit, { projectId, limit, after });
    return json({
      items: page.items.map((m) => memberToWire(projectId, m)),
      ...(page.next ? { next_cursor: await encodeCursor(permit.id, list, page.next) } : {}),
    });
  },
});

export const POST = route({
  authorize: (caller, _ids, query) => authorizeGrant(caller.user, projectIdFrom(query)),
  body: relationTupleCreateRequestSchema,
  handle: async ({ permit, body }) => {
    const subjectType = body.subject.split(":", 1)[0];
    if ((subjectType !== "user" && subjectType !== "group") || body.resource.toLowerCase() !== `project:${permit.projectId}`) {
      throw new DomainError("invalid_triple", "subject must be user:<id> or group:<id> and resource project:<project_id>", 400);
    }
    return json(tupleToWire(await permit.grant(body.subject, body.relation)), 201);
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
