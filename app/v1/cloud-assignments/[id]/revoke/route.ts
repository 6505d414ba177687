import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { cloudAssignmentRevokeRequestSchema } from "@/lib/api/schemas";
import { cloudAssignmentToWire } from "@/lib/api/wire";
import { nonBlankReason } from "@/lib/assignments/service";
import { authorizeCloudAssignmentRevoke } from "@/lib/projects/cloud-assignments";

/** The Cloud's manager, or else the Project's deployers, end an approved Cloud assignment; the Project's credential assignments of it go too. */
export const POST = route({
  params: { id: "invalid_cloud_assignment_id" },
  authorize: (caller, { id }) => authorizeCloudAssignmentRevoke(caller.user, id),
  body: cloudAssignmentRevokeRequestSchema,
  handle: async ({ permit, body }) => json(cloudAssignmentToWire(await permit.revoke(nonBlankReason(body.reason)))),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
