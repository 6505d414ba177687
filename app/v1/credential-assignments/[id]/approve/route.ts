import { json, methodsNotAllowed, optionalBody, route } from "@/lib/api/route";
import { credentialAssignmentApproveRequestSchema } from "@/lib/api/schemas";
import { assignmentToWire } from "@/lib/api/wire";
import { authorizeDecision } from "@/lib/assignments/service";

/** Approve has no body in the contract, so clients send none (and no Content-Type); an optional `{reason}` is still taken. */
export const POST = route({
  params: { id: "invalid_credential_assignment_id" },
  authorize: (caller, { id }) => authorizeDecision(caller.user, id, "decide"),
  body: optionalBody(credentialAssignmentApproveRequestSchema),
  handle: async ({ permit, body }) => json(assignmentToWire(await permit.decide("approve", body.reason))),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
