import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { groupRequestSchema } from "@/lib/api/identity-schemas";
import { groupToWire } from "@/lib/api/identity-wire";
import { readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { createGroup, listGroups } from "@/lib/identity/group-admin";
import { findDomain } from "@/lib/tenancy/domain";

/** Groups (platform#manage), slug-ordered keyset pages of the one Domain. */
export const GET = apiRoute(async ({ request, caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const query = new URL(request.url).searchParams;
  const domainId = query.get("domain_id");
  if (domainId === null) throw new DomainError("invalid_domain_id", "domain_id is required", 400);
  findDomain(domainId);
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  const afterSlug = cursor === null ? undefined : await decodeCursor<string>(caller.user.id, "groups", cursor);
  const page = await listGroups(caller.user, { limit, afterSlug });
  return json({
    items: page.items.map(groupToWire),
    ...(page.nextSlug ? { next_cursor: await encodeCursor(caller.user.id, "groups", page.nextSlug) } : {}),
  });
});

export const POST = apiRoute(async ({ request, caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const body = await readBody(request, groupRequestSchema);
  const group = await createGroup(caller.user, {
    domainId: body.domain_id,
    slug: body.slug,
    displayName: body.display_name,
    source: body.source,
    idpBindingId: body.idp_binding_id,
    idpClaimValue: body.idp_claim_value,
  });
  return json(groupToWire(group), 201);
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
