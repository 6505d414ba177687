import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { ValidationError } from "@/lib/errors";
import { bindingToWire, createBinding, listBindings } from "@/lib/sso/bindings";
import { readBindingCreate } from "@/lib/sso/requests";
import { isKnownDomain } from "@/lib/tenancy/domain";
import { isUuid } from "@/lib/validation";

export const GET = apiRoute(async ({ request, caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const domainId = new URL(request.url).searchParams.get("domain_id");
  if (domainId !== null && !isUuid(domainId)) throw new ValidationError("invalid_domain_id", "domain_id is not a UUID");
  // The one Domain's effective set is every binding; another Domain owns none.
  if (domainId !== null && !isKnownDomain(domainId)) return json([]);
  return json((await listBindings(caller.user)).map(bindingToWire));
});

export const POST = apiRoute(async ({ request, caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const binding = await createBinding(caller.user, await readBindingCreate(request, "domain"));
  // No Location: the contract declares none for this 201 (the body carries the id).
  return json(bindingToWire(binding), 201);
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
