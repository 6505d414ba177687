import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { groupRequestSchema } from "@/lib/api/identity-schemas";
import { groupToWire } from "@/lib/api/identity-wire";
import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { authorizePlatform } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { createGroup, listGroups } from "@/lib/identity/group-admin";
import { findDomain } from "@/lib/tenancy/domain";

/** Groups (platform#manage), slug-ordered keyset pages of the one Domain. */
export const GET = route({
  authorize: (caller) => authorizePlatform(caller.user),
  handle: async ({ permit, query }) => {
    const domainId = query.get("domain_id");
    if (domainId === null) throw new DomainError("invalid_domain_id", "domain_id is required", 400);
    findDomain(domainId);
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const afterSlug = cursor === null ? undefined : await decodeCursor<string>(permit.id, "groups", cursor);
    const page = await listGroups(permit, { limit, afterSlug });
    return json({
      items: page.items.map(groupToWire),
      ...(page.nextSlug ? { next_cursor: await encodeCursor(permit.id, "groups", page.nextSlug) } : {}),
    });
  },
});

export const POST = route({
  authorize: (caller) => authorizePlatform(caller.user),
  body: groupRequestSchema,
  handle: async ({ permit, body }) => {
    const group = await createGroup(permit, {
      domainId: body.domain_id,
      slug: body.slug,
      displayName: body.display_name,
      source: body.source,
      idpBindingId: body.idp_binding_id,
      idpClaimValue: body.idp_claim_value,
    });
    return json(groupToWire(group), 201);
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
