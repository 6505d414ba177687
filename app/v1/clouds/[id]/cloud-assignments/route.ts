import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cloudAssignmentGrantRequestSchema } from "@/lib/api/schemas";
import { authorize } from "@/lib/authz/service";
import { assignCloudToProject } from "@/lib/projects/service";

/** A Cloud's manager makes it usable in a Project: created directly approved, as an operator grant. */
export const POST = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  const cloudId = pathId(params.id, "invalid_cloud_id");
  await authorize(caller.user, "manage", { cloud: cloudId });
  const body = await readBody(request, cloudAssignmentGrantRequestSchema);
  const assignment = await assignCloudToProject(caller.user, cloudId, body.project_id);
  const at = assignment.createdAt.toISOString();
  return json(
    { id: assignment.id, project_id: assignment.projectId, cloud_id: assignment.cloudId, state: "approved", materialised: true, created_at: at, updated_at: at },
    201,
  );
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
