import { json, methodsNotAllowed, noContent, route } from "@/lib/api/route";
import { authorizePlatform } from "@/lib/authz/service";
import { bindingToWire, deleteBinding, getBinding, updateBinding } from "@/lib/sso/bindings";
import { readBindingPatch } from "@/lib/sso/requests";

const params = { id: "invalid_binding_id" } as const;
const authorize = (caller: { user: { id: string } }) => authorizePlatform(caller.user);

export const GET = route({
  params,
  authorize,
  handle: async ({ permit, ids }) => json(bindingToWire(await getBinding(permit, ids.id))),
});

export const PATCH = route({
  params,
  authorize,
  body: readBindingPatch,
  handle: async ({ permit, ids, body }) => json(bindingToWire(await updateBinding(permit, ids.id, body))),
});

export const DELETE = route({
  params,
  authorize,
  handle: async ({ permit, ids }) => {
    await deleteBinding(permit, ids.id);
    return noContent();
  },
});

export const { POST, PUT } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
