import { consoleOrigin } from "@/lib/api/authenticate";
import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { invitationCreateRequestSchema } from "@/lib/api/identity-schemas";
import { invitationToWire } from "@/lib/api/identity-wire";
import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { authorizeDomainAdmin, type Actor } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { issueInvitation, listInvitations, type InvitationStatus } from "@/lib/identity/invitations";

const STATUSES = ["pending", "accepted", "revoked", "expired", "all"] as const;

const params = { id: "invalid_domain_id" } as const;
const authorize = (caller: { user: Actor }, ids: { id: string }) => authorizeDomainAdmin(caller.user, ids.id);

/** Invitations of the Domain. */
export const GET = route({
  params,
  authorize,
  handle: async ({ permit, query }) => {
    const status = query.get("status") ?? "all";
    if (!(STATUSES as readonly string[]).includes(status))
      throw new DomainError("invalid_status", "status must be one of {pending, accepted, revoked, expired, all}", 400);
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const before =
      cursor === null ? undefined : await decodeCursor<{ createdAt: string; id: string }>(permit.id, `invitations:${status}`, cursor);
    const page = await listInvitations(permit, { status: status as InvitationStatus | "all", limit, before });
    return json({
      items: await Promise.all(page.items.map((i) => invitationToWire(i))),
      next_cursor: page.next ? await encodeCursor(permit.id, `invitations:${status}`, page.next) : null,
    });
  },
});

/** Issues an invitation; the one-time link is in this response only. */
export const POST = route({
  params,
  authorize,
  body: invitationCreateRequestSchema,
  handle: async ({ permit, body, request }) => {
    const { invitation, token } = await issueInvitation(permit, {
      email: body.external_subject,
      ttlSeconds: body.ttl_seconds,
      initialTuples: body.initial_tuples?.map((t) => ({ relation: t.relation, object: t.object })),
    });
    return json(await invitationToWire(invitation, `${consoleOrigin(request) ?? ""}/invitations/${token}`), 201);
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
