import "server-only";
import type { z } from "zod";
import type { GroupView, MembershipView } from "@/lib/identity/group-admin";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import type { InvitationView } from "@/lib/identity/invitations";
import { pseudonymOf, type UserView } from "@/lib/identity/users";
import type {
  groupMembershipResponseSchema,
  groupResponseSchema,
  identityDetailSchema,
  identitySummarySchema,
  invitationResponseSchema,
} from "./identity-schemas";

/** Explicit projections for groups and memberships: only these fields go out. */
export function groupToWire(g: GroupView): z.infer<typeof groupResponseSchema> {
  return {
    id: g.id,
    domain_id: DEFAULT_DOMAIN_ID,
    slug: g.slug,
    display_name: g.displayName,
    source: g.source,
    ...(g.source === "idp" && g.idpBindingId ? { idp_binding_id: g.idpBindingId } : {}),
    ...(g.source === "idp" && g.idpClaimValue !== null ? { idp_claim_value: g.idpClaimValue } : {}),
    created_at: g.createdAt.toISOString(),
    updated_at: g.updatedAt.toISOString(),
  };
}

export function membershipToWire(m: MembershipView): z.infer<typeof groupMembershipResponseSchema> {
  return { group_id: m.groupId, principal_id: m.userId, principal_kind: "user", source: m.source, created_at: m.createdAt.toISOString() };
}

export async function identitySummaryToWire(u: UserView): Promise<z.infer<typeof identitySummarySchema>> {
  return {
    id: u.id,
    kind: "user",
    domain_id: DEFAULT_DOMAIN_ID,
    display_name: u.displayName,
    external_subject_pseudonym: await pseudonymOf(u.externalSubject ?? u.email),
    last_sign_in_at: u.lastSignInAt ? u.lastSignInAt.toISOString() : null,
    created_at: u.createdAt.toISOString(),
    status: u.status,
  };
}

/** The detail carries email and external subject: only platform admins (our auditors) reach it. */
export async function identityDetailToWire(u: UserView): Promise<z.infer<typeof identityDetailSchema>> {
  return {
    ...(await identitySummaryToWire(u)),
    email: u.email,
    ...(u.externalSubject ? { external_subject: u.externalSubject } : {}),
    updated_at: u.updatedAt.toISOString(),
    source: u.source,
    groups: u.groups.map((g) => ({ id: g.id, slug: g.slug, display_name: g.displayName })),
  };
}

export async function invitationToWire(i: InvitationView, url?: string): Promise<z.infer<typeof invitationResponseSchema>> {
  return {
    id: i.id,
    domain_id: DEFAULT_DOMAIN_ID,
    external_subject_pseudonym: await pseudonymOf(i.email),
    status: i.status,
    expires_at: i.expiresAt.toISOString(),
    created_at: i.createdAt.toISOString(),
    ...(i.acceptedAt ? { accepted_at: i.acceptedAt.toISOString() } : {}),
    ...(i.acceptedUserId ? { accepted_user_id: i.acceptedUserId } : {}),
    ...(i.revokedAt ? { revoked_at: i.revokedAt.toISOString() } : {}),
    ...(i.status === "expired" ? { expired_at: i.expiresAt.toISOString() } : {}),
    initial_tuples: i.initialTuples.map((t) => ({ relation: t.relation, object: t.object })),
    ...(url ? { invitation_url: url } : {}),
  };
}
