import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { rejectApprovalRequestSchema } from "@/lib/api/schemas";
import { approvalToWire } from "@/lib/api/wire";
import { authorizeApprovalDecision } from "@/lib/approvals/service";

/** Reject says why (1 to 1024 characters, not blank); the requester sees it. */
export const POST = route({
  params: { id: "invalid_approval_id" },
  authorize: (caller, { id }) => authorizeApprovalDecision(caller.user, id),
  body: rejectApprovalRequestSchema,
  handle: async ({ permit, body }) => json(approvalToWire(await permit.reject(body.reason))),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
