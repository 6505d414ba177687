import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { breakGlassRequestSchema } from "@/lib/api/schemas";
import { approvalToWire } from "@/lib/api/wire";
import { authorizeBreakGlass } from "@/lib/approvals/service";

/** A platform operator's emergency approval of a waiting assignment, with a justification (a deviation: docs/api/contract-differences.md). */
export const POST = route({
  params: { id: "invalid_approval_id" },
  authorize: (caller, { id }) => authorizeBreakGlass(caller.user, id),
  body: breakGlassRequestSchema,
  handle: async ({ permit, body }) => json(approvalToWire(await permit.breakGlass(body.reason))),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
