import { methodsNotAllowed, noContent, route } from "@/lib/api/route";
import { authorizePlatform } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { removeMembership } from "@/lib/identity/group-admin";

/** Removes a member (platform#manage); `?kind=user` as the contract requires. */
export const DELETE = route({
  params: { id: "invalid_group_id", principal_id: "invalid_principal_id" },
  authorize: (caller) => authorizePlatform(caller.user),
  handle: async ({ permit, ids, query }) => {
    const kind = query.get("kind");
    if (kind !== "user" && kind !== "service_identity" && kind !== "group")
      throw new DomainError("invalid_kind", "kind must be user, service_identity or group", 400);
    if (kind !== "user") throw new DomainError("membership_not_found", "This principal is not a member of the group.", 404);
    await removeMembership(permit, ids.id, ids.principal_id);
    return noContent();
  },
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed(["DELETE"]);
