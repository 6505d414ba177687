import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { authorizePlatform } from "@/lib/authz/service";
import { bindingToWire, createBinding, listBindings } from "@/lib/sso/bindings";
import { readBindingCreate } from "@/lib/sso/requests";

export const GET = route({
  authorize: (caller) => authorizePlatform(caller.user),
  handle: async ({ permit }) => json((await listBindings(permit, { platformScoped: true })).map(bindingToWire)),
});

export const POST = route({
  authorize: (caller) => authorizePlatform(caller.user),
  body: (request: Request) => readBindingCreate(request, "platform"),
  // No Location: the contract declares none for this 201 (the body carries the id).
  handle: async ({ permit, body }) => json(bindingToWire(await createBinding(permit, body)), 201),
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
