import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { bindingToWire, setBindingStatus } from "@/lib/sso/bindings";
import { idpBindingStatusRequestSchema } from "@/lib/sso/schema";

type Params = { id: string };

export const PATCH = apiRoute<Params>(async ({ request, caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const id = pathId(params.id, "invalid_binding_id");
  const { status } = await readBody(request, idpBindingStatusRequestSchema);
  return json(bindingToWire(await setBindingStatus(caller.user, id, status === "active" ? "active" : "inactive")));
});

export const { GET, POST, PUT, DELETE } = methodsNotAllowed(["PATCH"]);
