import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { auditFiltersFrom } from "@/lib/audit/filters";
import { listAuditEntries } from "@/lib/audit/service";

/** Platform admins read the audit trail, newest first, with the console's filters. */
export const GET = apiRoute(async ({ request, caller }) => {
  const query = new URL(request.url).searchParams;
  const cursor = query.get("cursor");
  const page = await listAuditEntries(caller.user, auditFiltersFrom(query), {
    limit: parseLimit(query.get("limit")),
    before: cursor ? await decodeCursor<{ at: string; id: string }>(caller.user.id, "audit", cursor) : undefined,
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
    ...(page.next ? { next_cursor: await encodeCursor(caller.user.id, "audit", page.next) } : {}),
  });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
