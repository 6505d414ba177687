import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { credentialAssignmentRequestSchema } from "@/lib/api/schemas";
import { assignmentToWire } from "@/lib/api/wire";
import { authorize } from "@/lib/authz/service";
import { listProjectAssignments, requestAssignment, type AssignmentCursor } from "@/lib/assignments/service";
import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";

type Params = { id: string };

/** A member (project#deploy) asks for a credential; someone who manages the Project decides. */
export const POST = apiRoute<Params>(async ({ request, caller, params }) => {
  const projectId = pathId(params.id, "invalid_project_id");
  await authorize(caller.user, "deploy", { project: projectId });
  const body = await readBody(request, credentialAssignmentRequestSchema);
  const assignment = await requestAssignment(caller.user, projectId, { cloudCredentialId: body.cloud_credential_id, cloudId: body.cloud_id });
  // No Location: an assignment has no by-id read (the contract says so); it is read through the Project's list.
  return json(assignmentToWire(assignment), 201);
});

export const GET = apiRoute<Params>(async ({ request, caller, params }) => {
  const projectId = pathId(params.id, "invalid_project_id");
  const query = new URL(request.url).searchParams;
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  const list = `project-assignments:${projectId}`;
  const after = cursor ? await decodeCursor<AssignmentCursor>(caller.user.id, list, cursor) : undefined;
  const page = await listProjectAssignments(caller.user, projectId, { limit, after });
  return json({
    items: page.items.map(assignmentToWire),
    ...(page.next ? { next_cursor: await encodeCursor(caller.user.id, list, page.next) } : {}),
  });
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
