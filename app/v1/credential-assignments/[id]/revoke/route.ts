import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { credentialAssignmentDecisionRequestSchema } from "@/lib/api/schemas";
import { assignmentToWire } from "@/lib/api/wire";
import { authorizeDecision, nonBlankReason } from "@/lib/assignments/service";

/** The contract requires a non-blank reason to revoke. */
export const POST = route({
  params: { id: "invalid_credential_assignment_id" },
  authorize: (caller, { id }) => authorizeDecision(caller.user, id, "revoke"),
  body: credentialAssignmentDecisionRequestSchema,
  handle: async ({ permit, body }) => json(assignmentToWire(await permit.decide("revoke", nonBlankReason(body.reason)))),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
