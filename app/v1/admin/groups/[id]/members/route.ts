import { groupMembershipRequestSchema } from "@/lib/api/identity-schemas";
import { membershipToWire } from "@/lib/api/identity-wire";
import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { ValidationError } from "@/lib/errors";
import { addMembership, listMemberships } from "@/lib/identity/group-admin";

/** A group's members (platform#manage). Only users are principals here. */
export const GET = apiRoute<{ id: string }>(async ({ caller, params }) =>
  json({ items: (await listMemberships(caller.user, pathId(params.id, "invalid_group_id"))).map(membershipToWire) }),
);

export const POST = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const id = pathId(params.id, "invalid_group_id");
  const body = await readBody(request, groupMembershipRequestSchema);
  if (body.principal_kind !== "user") throw new ValidationError("unsupported_principal_kind", "only users can be members of a group here");
  return json(membershipToWire(await addMembership(caller.user, id, { userId: body.principal_id, source: body.source })), 201);
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
