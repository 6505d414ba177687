import "server-only";
import { authorizeDecision, decideAssignment, type Decision } from "@/lib/assignments/service";
import { ValidationError } from "@/lib/errors";
import { readOptionalJsonBody } from "./body";
import { checkBody, pathId, readBody } from "./parse";
import { apiRoute, json } from "./route";
import { credentialAssignmentApproveRequestSchema, credentialAssignmentDecisionRequestSchema } from "./schemas";
import { assignmentToWire } from "./wire";

/**
 * POST /v1/credential-assignments/{id}/<approve|reject|revoke>: one handler,
 * three doors. Approve has no body in the contract, so clients send none (and
 * no Content-Type); an optional `{reason}` is still taken. Reject and revoke
 * require a non-blank reason, as the contract does.
 */
export function decideRoute(decision: Decision) {
  return apiRoute<{ id: string }>(async ({ request, caller, params }) => {
    const id = pathId(params.id, "invalid_credential_assignment_id");
    await authorizeDecision(caller.user, id);
    let reason: string | undefined;
    if (decision === "approve") {
      reason = checkBody((await readOptionalJsonBody(request)) ?? {}, credentialAssignmentApproveRequestSchema).reason;
    } else {
      reason = (await readBody(request, credentialAssignmentDecisionRequestSchema)).reason;
      if (reason.trim().length === 0) throw new ValidationError("invalid_decision_reason", "the reason must not be blank");
    }
    return json(assignmentToWire(await decideAssignment(caller.user, id, decision, reason)));
  });
}
