import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { problem } from "@/lib/api/problem";
import { domainToWire } from "@/lib/api/wire";
import { findDomain } from "@/lib/tenancy/domain";

const params = { id: "invalid_domain_id" } as const;

/** Every signed-in caller belongs to the one Domain. */
export const GET = route({
  params,
  authorize: signedIn,
  handle: async ({ ids }) => json(domainToWire(findDomain(ids.id))),
});

/**
 * The one Domain cannot be deleted (docs/api/contract-differences.md), but a
 * malformed id is the newest contract's 400 invalid_domain_id, as for GET.
 */
export const DELETE = route({
  params,
  authorize: signedIn,
  handle: async ({ request }) => problem(request, 405, "method_not_allowed", "DELETE is not allowed here; use GET", {}, { allow: "GET" }),
});

export const { POST, PUT, PATCH } = methodsNotAllowed(["GET"]);
