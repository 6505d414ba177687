import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { auditFiltersFrom } from "@/lib/audit/filters";
import { listAuditEntries } from "@/lib/audit/service";

/** Platform admins read the audit trail, newest first, with the console's filters (the service asks platform#manage). */
export const GET = route({
  authorize: signedIn,
  handle: async ({ permit, query }) => {
    const cursor = query.get("cursor");
    const page = await listAuditEntries(permit, auditFiltersFrom(query), {
      limit: parseLimit(query.get("limit")),
      before: cursor ? await decodeCursor<{ at: string; id: string }>(permit.id, "audit", cursor) : undefined,
    });
    return json({
      items: page.items.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor_id: e.actorId,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        cloud_id: e.cloudId,
        outcome: e.outcome,
        reason: e.reason,
        correlation_id: e.correlationId,
        repeat_count: e.repeatCount,
      })),
      ...(page.next ? { next_cursor: await encodeCursor(permit.id, "audit", page.next) } : {}),
    });
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
