import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { cloudAssignmentGrantRequestSchema } from "@/lib/api/schemas";
import { cloudAssignmentToWire } from "@/lib/api/wire";
import { authorizeCloudAssign } from "@/lib/projects/cloud-assignments";

/** A Cloud's manager makes it usable in a Project: created directly approved; a live pair already there is 409. */
export const POST = route({
  params: { id: "invalid_cloud_id" },
  authorize: (caller, { id }) => authorizeCloudAssign(caller.user, id),
  body: cloudAssignmentGrantRequestSchema,
  handle: async ({ permit, body }) => json(cloudAssignmentToWire(await permit.assign(body.project_id)), 201),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
