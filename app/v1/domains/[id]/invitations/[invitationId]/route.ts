import { invitationToWire } from "@/lib/api/identity-wire";
import { json, methodsNotAllowed, noContent, route } from "@/lib/api/route";
import { authorizeDomainAdmin, type Actor } from "@/lib/authz/service";
import { getInvitation, revokeInvitation } from "@/lib/identity/invitations";

const params = { id: "invalid_domain_id", invitationId: "invalid_invitation_id" } as const;
const authorize = (caller: { user: Actor }, ids: { id: string }) => authorizeDomainAdmin(caller.user, ids.id);

export const GET = route({
  params,
  authorize,
  handle: async ({ permit, ids }) => json(await invitationToWire(await getInvitation(permit, ids.invitationId))),
});

/** Revokes a pending invitation (a revoked one again is a no-op 204). */
export const DELETE = route({
  params,
  authorize,
  handle: async ({ permit, ids }) => {
    await revokeInvitation(permit, ids.invitationId);
    return noContent();
  },
});

export const { POST, PUT, PATCH } = methodsNotAllowed(["GET", "DELETE"]);
