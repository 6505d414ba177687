import { identityStatusRequestSchema } from "@/lib/api/identity-schemas";
import { identityDetailToWire } from "@/lib/api/identity-wire";
import { json, methodsNotAllowed, noContent, route } from "@/lib/api/route";
import { authorizeDomainAdmin, type Actor } from "@/lib/authz/service";
import { getUser, removeUser, setUserStatus } from "@/lib/identity/users";

// The Domain is looked up (404) only after platform#manage: no existence oracle for outsiders.
const params = { id: "invalid_domain_id", principalId: "invalid_principal_id" } as const;
const authorize = (caller: { user: Actor }, ids: { id: string }) => authorizeDomainAdmin(caller.user, ids.id);

export const GET = route({
  params,
  authorize,
  handle: async ({ permit, ids }) => json(await identityDetailToWire(await getUser(permit, ids.principalId))),
});

/** Ours, beyond the contract: `{status: "disabled" | "active"}` disables or re-enables the person. */
export const PATCH = route({
  params,
  authorize,
  body: identityStatusRequestSchema,
  handle: async ({ permit, ids, body }) => json(await identityDetailToWire(await setUserStatus(permit, ids.principalId, body.status))),
});

/** Ours, beyond the contract: removes the person and every grant naming them. */
export const DELETE = route({
  params,
  authorize,
  handle: async ({ permit, ids }) => {
    await removeUser(permit, ids.principalId);
    return noContent();
  },
});

export const { POST, PUT } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
