import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { cloudAssignmentGrantRequestSchema } from "@/lib/api/schemas";
import { authorizeCloudAssign } from "@/lib/projects/service";

/** A Cloud's manager makes it usable in a Project: created directly approved, as an operator grant. */
export const POST = route({
  params: { id: "invalid_cloud_id" },
  authorize: (caller, { id }) => authorizeCloudAssign(caller.user, id),
  body: cloudAssignmentGrantRequestSchema,
  handle: async ({ permit, body }) => {
    const assignment = await permit.assign(body.project_id);
    const at = assignment.createdAt.toISOString();
    return json(
      {
        id: assignment.id,
        project_id: assignment.projectId,
        cloud_id: assignment.cloudId,
        state: "approved",
        materialised: true,
        created_at: at,
        updated_at: at,
      },
      201,
    );
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
