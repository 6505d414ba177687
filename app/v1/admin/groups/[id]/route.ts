import { groupUpdateRequestSchema } from "@/lib/api/identity-schemas";
import { groupToWire } from "@/lib/api/identity-wire";
import { json, methodsNotAllowed, noContent, route } from "@/lib/api/route";
import { authorizePlatform } from "@/lib/authz/service";
import { deleteGroup, getGroup, renameGroup } from "@/lib/identity/group-admin";

const params = { id: "invalid_group_id" } as const;

/** One group (platform#manage): read, rename, delete (its memberships and grants go with it). */
export const GET = route({
  params,
  authorize: (caller) => authorizePlatform(caller.user),
  handle: async ({ permit, ids }) => json(groupToWire(await getGroup(permit, ids.id))),
});

export const PATCH = route({
  params,
  authorize: (caller) => authorizePlatform(caller.user),
  body: groupUpdateRequestSchema,
  handle: async ({ permit, ids, body }) => json(groupToWire(await renameGroup(permit, ids.id, body.display_name))),
});

export const DELETE = route({
  params,
  authorize: (caller) => authorizePlatform(caller.user),
  handle: async ({ permit, ids }) => {
    await deleteGroup(permit, ids.id);
    return noContent();
  },
});

export const { POST, PUT } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
