import "server-only";
import type { z } from "zod";
import type { GroupView, MembershipView } from "@/lib/identity/group-admin";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import type { groupMembershipResponseSchema, groupResponseSchema } from "./identity-schemas";

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
