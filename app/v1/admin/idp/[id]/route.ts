import { pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { bindingToWire, deleteBinding, getBinding, updateBinding } from "@/lib/sso/bindings";
import { readBindingPatch } from "@/lib/sso/requests";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  return json(bindingToWire(await getBinding(caller.user, pathId(params.id, "invalid_binding_id"))));
});

export const PATCH = apiRoute<Params>(async ({ request, caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const id = pathId(params.id, "invalid_binding_id");
  return json(bindingToWire(await updateBinding(caller.user, id, await readBindingPatch(request))));
});

export const DELETE = apiRoute<Params>(async ({ caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  await deleteBinding(caller.user, pathId(params.id, "invalid_binding_id"));
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
