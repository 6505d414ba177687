import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { identitySummaryToWire } from "@/lib/api/identity-wire";
import { pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { listUsers } from "@/lib/identity/users";
import { findDomain } from "@/lib/tenancy/domain";

/** The Domain's people, newest first (platform#manage, checked before the Domain is looked up). */
export const GET = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  findDomain(pathId(params.id, "invalid_domain_id"));
  const query = new URL(request.url).searchParams;
  const kind = query.get("kind");
  if (kind !== null && kind !== "user" && kind !== "service-identity") throw new DomainError("invalid_kind", "kind must be one of {user, service-identity}", 400);
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  const before = cursor === null ? undefined : await decodeCursor<{ createdAt: string; id: string }>(caller.user.id, "identities", cursor);
  // This console has no service identities: a list of them is empty.
  if (kind === "service-identity") return json({ items: [], next_cursor: null });
  const page = await listUsers(caller.user, { limit, before });
  return json({
    items: await Promise.all(page.items.map(identitySummaryToWire)),
    next_cursor: page.next ? await encodeCursor(caller.user.id, "identities", page.next) : null,
  });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
