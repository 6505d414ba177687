import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { approvalToWire } from "@/lib/api/wire";
import { getApproval } from "@/lib/approvals/service";

/** One queue row, under the list's per-row check. */
export const GET = route({
  params: { id: "invalid_approval_id" },
  authorize: signedIn,
  handle: async ({ permit, ids }) => json(approvalToWire(await getApproval(permit, ids.id))),
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
