import { invitationToWire } from "@/lib/api/identity-wire";
import { pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { getInvitation, revokeInvitation } from "@/lib/identity/invitations";
import { findDomain } from "@/lib/tenancy/domain";

type Params = { id: string; invitationId: string };

async function resolve(user: { id: string }, params: Params): Promise<string> {
  await authorize(user, "manage", { platform: PLATFORM_ID });
  findDomain(pathId(params.id, "invalid_domain_id"));
  return pathId(params.invitationId, "invalid_invitation_id");
}

export const GET = apiRoute<Params>(async ({ caller, params }) => json(await invitationToWire(await getInvitation(caller.user, await resolve(caller.user, params)))));

/** Revokes a pending invitation (a revoked one again is a no-op 204). */
export const DELETE = apiRoute<Params>(async ({ caller, params }) => {
  await revokeInvitation(caller.user, await resolve(caller.user, params));
  return new Response(null, { status: 204 });
});

export const { POST, PUT, PATCH } = methodsNotAllowed(["GET", "DELETE"]);
