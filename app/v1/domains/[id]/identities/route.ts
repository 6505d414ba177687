import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { identitySummaryToWire } from "@/lib/api/identity-wire";
import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { authorizeDomainAdmin } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { listUsers } from "@/lib/identity/users";

/** The Domain's people, newest first (platform#manage, checked before the Domain is looked up). */
export const GET = route({
  params: { id: "invalid_domain_id" },
  authorize: (caller, { id }) => authorizeDomainAdmin(caller.user, id),
  handle: async ({ permit, query }) => {
    const kind = query.get("kind");
    if (kind !== null && kind !== "user" && kind !== "service-identity")
      throw new DomainError("invalid_kind", "kind must be one of {user, service-identity}", 400);
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const before = cursor === null ? undefined : await decodeCursor<{ createdAt: string; id: string }>(permit.id, "identities", cursor);
    // This console has no service identities: a list of them is empty.
    if (kind === "service-identity") return json({ items: [], next_cursor: null });
    const page = await listUsers(permit, { limit, before });
    return json({
      items: await Promise.all(page.items.map(identitySummaryToWire)),
      next_cursor: page.next ? await encodeCursor(permit.id, "identities", page.next) : null,
    });
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
