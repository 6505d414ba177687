import { groupUpdateRequestSchema } from "@/lib/api/identity-schemas";
import { groupToWire } from "@/lib/api/identity-wire";
import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { deleteGroup, getGroup, renameGroup } from "@/lib/identity/group-admin";

/** One group (platform#manage): read, rename, delete (its memberships and grants go with it). */
export const GET = apiRoute<{ id: string }>(async ({ caller, params }) => json(groupToWire(await getGroup(caller.user, pathId(params.id, "invalid_group_id")))));

export const PATCH = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const id = pathId(params.id, "invalid_group_id");
  const body = await readBody(request, groupUpdateRequestSchema);
  return json(groupToWire(await renameGroup(caller.user, id, body.display_name)));
});

export const DELETE = apiRoute<{ id: string }>(async ({ caller, params }) => {
  await deleteGroup(caller.user, pathId(params.id, "invalid_group_id"));
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
