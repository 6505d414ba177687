import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { approvalToWire } from "@/lib/api/wire";
import { listApprovals, parseApprovalFilters, type ApprovalCursor } from "@/lib/approvals/service";

/** The approval queue: every row is checked, and left out if the caller may not see it (no top-level gate). */
export const GET = route({
  authorize: signedIn,
  handle: async ({ permit, query }) => {
    const limit = parseLimit(query.get("limit"));
    const filters = parseApprovalFilters(query);
    const cursor = query.get("cursor");
    const list = `approvals:${filters.status ?? ""}:${filters.kind ?? ""}:${filters.cloudId ?? ""}:${filters.otherDomain ? "x" : ""}`;
    const after = cursor ? await decodeCursor<ApprovalCursor>(permit.id, list, cursor) : undefined;
    const page = filters.otherDomain ? { items: [] } : await listApprovals(permit, filters, { limit, after });
    return json({
      items: page.items.map(approvalToWire),
      ...("next" in page && page.next ? { next_cursor: await encodeCursor(permit.id, list, page.next) } : {}),
    });
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
