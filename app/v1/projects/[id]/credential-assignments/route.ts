import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { credentialAssignmentRequestSchema } from "@/lib/api/schemas";
import { assignmentToWire } from "@/lib/api/wire";
import { authorizeRequest, listProjectAssignments, type AssignmentCursor } from "@/lib/assignments/service";

const params = { id: "invalid_project_id" } as const;

/** A member (project#deploy) asks for a credential; someone who manages the Project decides. */
export const POST = route({
  params,
  authorize: (caller, { id }) => authorizeRequest(caller.user, id),
  body: credentialAssignmentRequestSchema,
  handle: async ({ permit, body }) => {
    const assignment = await permit.request({ cloudCredentialId: body.cloud_credential_id, cloudId: body.cloud_id });
    // No Location: an assignment has no by-id read (the contract says so); it is read through the Project's list.
    return json(assignmentToWire(assignment), 201);
  },
});

export const GET = route({
  params,
  authorize: signedIn,
  handle: async ({ permit, ids, query }) => {
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const list = `project-assignments:${ids.id}`;
    const after = cursor ? await decodeCursor<AssignmentCursor>(permit.id, list, cursor) : undefined;
    const page = await listProjectAssignments(permit, ids.id, { limit, after });
    return json({
      items: page.items.map(assignmentToWire),
      ...(page.next ? { next_cursor: await encodeCursor(permit.id, list, page.next) } : {}),
    });
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
