import { pathId } from "@/lib/api/parse";
import { apiRoute, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { removeMembership } from "@/lib/identity/group-admin";

/** Removes a member (platform#manage); `?kind=user` as the contract requires. */
export const DELETE = apiRoute<{ id: string; principal_id: string }>(async ({ request, caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const kind = new URL(request.url).searchParams.get("kind");
  if (kind !== "user" && kind !== "service_identity" && kind !== "group") throw new DomainError("invalid_kind", "kind must be user, service_identity or group", 400);
  const groupId = pathId(params.id, "invalid_group_id");
  const principalId = pathId(params.principal_id, "invalid_principal_id");
  if (kind !== "user") throw new DomainError("membership_not_found", "This principal is not a member of the group.", 404);
  await removeMembership(caller.user, groupId, principalId);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed(["DELETE"]);
