import { identityStatusRequestSchema } from "@/lib/api/identity-schemas";
import { identityDetailToWire } from "@/lib/api/identity-wire";
import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { getUser, removeUser, setUserStatus } from "@/lib/identity/users";
import { findDomain } from "@/lib/tenancy/domain";

type Params = { id: string; principalId: string };

/** platform#manage first, then the Domain, then the person: no existence oracle for outsiders. */
async function resolve(user: { id: string }, params: Params): Promise<string> {
  await authorize(user, "manage", { platform: PLATFORM_ID });
  findDomain(pathId(params.id, "invalid_domain_id"));
  return pathId(params.principalId, "invalid_principal_id");
}

export const GET = apiRoute<Params>(async ({ caller, params }) => json(await identityDetailToWire(await getUser(caller.user, await resolve(caller.user, params)))));

/** Ours, beyond the contract: `{status: "disabled" | "active"}` disables or re-enables the person. */
export const PATCH = apiRoute<Params>(async ({ request, caller, params }) => {
  const id = await resolve(caller.user, params);
  const body = await readBody(request, identityStatusRequestSchema);
  return json(await identityDetailToWire(await setUserStatus(caller.user, id, body.status)));
});

/** Ours, beyond the contract: removes the person and every grant naming them. */
export const DELETE = apiRoute<Params>(async ({ caller, params }) => {
  await removeUser(caller.user, await resolve(caller.user, params));
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
