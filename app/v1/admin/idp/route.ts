import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { authorizePlatform } from "@/lib/authz/service";
import { ValidationError } from "@/lib/errors";
import { bindingToWire, createBinding, listBindings } from "@/lib/sso/bindings";
import { readBindingCreate } from "@/lib/sso/requests";
import { isKnownDomain } from "@/lib/tenancy/domain";
import { isUuid } from "@/lib/validation";

export const GET = route({
  authorize: (caller) => authorizePlatform(caller.user),
  handle: async ({ permit, query }) => {
    const domainId = query.get("domain_id");
    if (domainId !== null && !isUuid(domainId)) throw new ValidationError("invalid_domain_id", "domain_id is not a UUID");
    // The one Domain's effective set is every binding; another Domain owns none.
    if (domainId !== null && !isKnownDomain(domainId)) return json([]);
    return json((await listBindings(permit)).map(bindingToWire));
  },
});

export const POST = route({
  authorize: (caller) => authorizePlatform(caller.user),
  body: (request: Request) => readBindingCreate(request, "domain"),
  // No Location: the contract declares none for this 201 (the body carries the id).
  handle: async ({ permit, body }) => json(bindingToWire(await createBinding(permit, body)), 201),
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
