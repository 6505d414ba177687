import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { domainToWire } from "@/lib/api/wire";
import { findDomain } from "@/lib/tenancy/domain";

/** Every signed-in caller belongs to the one Domain. */
export const GET = route({
  params: { id: "invalid_domain_id" },
  authorize: signedIn,
  handle: async ({ ids }) => json(domainToWire(findDomain(ids.id))),
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
