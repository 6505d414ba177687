import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { authorizePlatform } from "@/lib/authz/service";
import { bindingToWire, setBindingStatus } from "@/lib/sso/bindings";
import { idpBindingStatusRequestSchema } from "@/lib/sso/schema";

export const PATCH = route({
  params: { id: "invalid_binding_id" },
  authorize: (caller) => authorizePlatform(caller.user),
  body: idpBindingStatusRequestSchema,
  handle: async ({ permit, ids, body }) =>
    json(bindingToWire(await setBindingStatus(permit, ids.id, body.status === "active" ? "active" : "inactive"))),
});

export const { GET, POST, PUT, DELETE } = methodsNotAllowed(["PATCH"]);
