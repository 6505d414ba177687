import { consoleOrigin } from "@/lib/api/authenticate";
import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { invitationCreateRequestSchema } from "@/lib/api/identity-schemas";
import { invitationToWire } from "@/lib/api/identity-wire";
import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { DomainError } from "@/lib/errors";
import { issueInvitation, listInvitations, type InvitationStatus } from "@/lib/identity/invitations";
import { findDomain } from "@/lib/tenancy/domain";

const STATUSES = ["pending", "accepted", "revoked", "expired", "all"] as const;

/** Invitations of the Domain (platform#manage, checked before the Domain is looked up). */
export const GET = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  findDomain(pathId(params.id, "invalid_domain_id"));
  const query = new URL(request.url).searchParams;
  const status = query.get("status") ?? "all";
  if (!(STATUSES as readonly string[]).includes(status)) throw new DomainError("invalid_status", "status must be one of {pending, accepted, revoked, expired, all}", 400);
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  const before = cursor === null ? undefined : await decodeCursor<{ createdAt: string; id: string }>(caller.user.id, `invitations:${status}`, cursor);
  const page = await listInvitations(caller.user, { status: status as InvitationStatus | "all", limit, before });
  return json({
    items: await Promise.all(page.items.map((i) => invitationToWire(i))),
    next_cursor: page.next ? await encodeCursor(caller.user.id, `invitations:${status}`, page.next) : null,
  });
});

/** Issues an invitation; the one-time link is in this response only. */
export const POST = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  findDomain(pathId(params.id, "invalid_domain_id"));
  const body = await readBody(request, invitationCreateRequestSchema);
  const { invitation, token } = await issueInvitation(caller.user, {
    email: body.external_subject,
    ttlSeconds: body.ttl_seconds,
    initialTuples: body.initial_tuples?.map((t) => ({ relation: t.relation, object: t.object })),
  });
  return json(await invitationToWire(invitation, `${consoleOrigin(request) ?? ""}/invitations/${token}`), 201);
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
