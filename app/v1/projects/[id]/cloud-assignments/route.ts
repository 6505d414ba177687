import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { cloudAssignmentRequestBodySchema } from "@/lib/api/schemas";
import { cloudAssignmentToWire } from "@/lib/api/wire";
import { authorizeCloudRequest, listProjectCloudAssignments, type CloudAssignmentCursor } from "@/lib/projects/cloud-assignments";

const params = { id: "invalid_project_id" } as const;

/** A Project's deployer asks to use a Cloud (created requested); the Cloud's manager decides in /v1/approvals. */
export const POST = route({
  params,
  authorize: (caller, { id }) => authorizeCloudRequest(caller.user, id),
  body: cloudAssignmentRequestBodySchema,
  // No Location: the contract reads Cloud assignments through the Project's list.
  handle: async ({ permit, body }) => json(cloudAssignmentToWire(await permit.request(body.cloud_id)), 201),
});

export const GET = route({
  params,
  authorize: signedIn,
  handle: async ({ permit, ids, query }) => {
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const list = `project-cloud-assignments:${ids.id}`;
    const after = cursor ? await decodeCursor<CloudAssignmentCursor>(permit.id, list, cursor) : undefined;
    const page = await listProjectCloudAssignments(permit, ids.id, { limit, after });
    return json({
      items: page.items.map(cloudAssignmentToWire),
      ...(page.next ? { next_cursor: await encodeCursor(permit.id, list, page.next) } : {}),
    });
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
