import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { bindingToWire, createBinding, listBindings } from "@/lib/sso/bindings";
import { readBindingCreate } from "@/lib/sso/requests";

export const GET = apiRoute(async ({ caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  return json((await listBindings(caller.user, { platformScoped: true })).map(bindingToWire));
});

export const POST = apiRoute(async ({ request, caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const binding = await createBinding(caller.user, await readBindingCreate(request, "platform"));
  // No Location: the contract declares none for this 201 (the body carries the id).
  return json(bindingToWire(binding), 201);
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
