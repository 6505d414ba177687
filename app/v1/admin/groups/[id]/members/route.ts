import { groupMembershipRequestSchema } from "@/lib/api/identity-schemas";
import { membershipToWire } from "@/lib/api/identity-wire";
import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { authorizePlatform } from "@/lib/authz/service";
import { ValidationError } from "@/lib/errors";
import { addMembership, listMemberships } from "@/lib/identity/group-admin";

const params = { id: "invalid_group_id" } as const;

/** A group's members (platform#manage). Only users are principals here. */
export const GET = route({
  params,
  authorize: (caller) => authorizePlatform(caller.user),
  handle: async ({ permit, ids }) => json({ items: (await listMemberships(permit, ids.id)).map(membershipToWire) }),
});

export const POST = route({
  params,
  authorize: (caller) => authorizePlatform(caller.user),
  body: groupMembershipRequestSchema,
  handle: async ({ permit, ids, body }) => {
    if (body.principal_kind !== "user")
      throw new ValidationError("unsupported_principal_kind", "only users can be members of a group here");
    return json(membershipToWire(await addMembership(permit, ids.id, { userId: body.principal_id, source: body.source })), 201);
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
