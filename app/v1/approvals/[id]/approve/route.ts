import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { approvalToWire } from "@/lib/api/wire";
import { authorizeApprovalDecision } from "@/lib/approvals/service";

/** No body. The gate is the row's kind's (lib/approvals); nobody approves their own request. */
export const POST = route({
  params: { id: "invalid_approval_id" },
  authorize: (caller, { id }) => authorizeApprovalDecision(caller.user, id),
  handle: async ({ permit }) => json(approvalToWire(await permit.approve())),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
