import "server-only";
import { authorizeDecision, decideAssignment, type Decision } from "@/lib/assignments/service";
import { readBody } from "./parse";
import { apiRoute, json } from "./route";
import { credentialAssignmentDecisionRequestSchema } from "./schemas";
import { assignmentToWire } from "./wire";

/** POST /v1/credential-assignments/{id}/<approve|reject|revoke> {reason}: one handler, three doors. */
export function decideRoute(decision: Decision) {
  return apiRoute<{ id: string }>(async ({ request, caller, params }) => {
    await authorizeDecision(caller.user, params.id);
    const body = await readBody(request, credentialAssignmentDecisionRequestSchema);
    return json(assignmentToWire(await decideAssignment(caller.user, params.id, decision, body.reason)));
  });
}
