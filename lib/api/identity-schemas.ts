import { z } from "zod";
import { GROUP_CLAIM_VALUE_MAX, GROUP_NAME_MAX, GROUP_SLUG_MAX } from "@/lib/identity/group-rules";
import { plainString } from "@/lib/validation";

/**
 * /v1 wire shapes for groups, identities, invitations and lookups (the
 * plexsphere v1 identity contract's names). Re-exported by ./schemas.ts so
 * /v1/openapi.json lists them.
 */
const uuid = z.string().uuid();
const timestamp = z.string().datetime({ offset: true });
const pseudonym = z.string().regex(/^[0-9a-f]{64}$/);

export const lookupResourcesRequestSchema = z
  .object({
    subject: plainString(4096).min(1),
    relation: plainString(4096).min(1),
    resource_type: plainString(4096).min(1),
    caveat_context: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: "LookupResourcesRequest" });

export const lookupSubjectsRequestSchema = z
  .object({
    subject_type: plainString(4096).min(1),
    relation: plainString(4096).min(1),
    resource: plainString(4096).min(1),
    caveat_context: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: "LookupSubjectsRequest" });

export const rebacLookupResponseSchema = z
  .object({ items: z.array(z.string()), correlation_id: z.string() })
  .meta({ id: "RebacLookupResponse" });

export const groupRequestSchema = z
  .object({
    domain_id: uuid,
    slug: z.string().min(1).max(GROUP_SLUG_MAX),
    display_name: z.string().max(GROUP_NAME_MAX),
    source: z.enum(["manual", "idp"]),
    idp_binding_id: uuid.optional(),
    idp_claim_value: z.string().max(GROUP_CLAIM_VALUE_MAX).optional(),
  })
  .strict()
  .meta({ id: "GroupRequest" });

export const groupUpdateRequestSchema = z
  .object({ display_name: z.string().max(GROUP_NAME_MAX) })
  .strict()
  .meta({ id: "GroupUpdateRequest" });

export const groupResponseSchema = z
  .object({
    id: uuid,
    domain_id: uuid,
    slug: z.string(),
    display_name: z.string(),
    source: z.enum(["manual", "idp"]),
    idp_binding_id: uuid.optional(),
    idp_claim_value: z.string().optional(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "GroupResponse" });

export const groupListResponseSchema = z
  .object({ items: z.array(groupResponseSchema), next_cursor: z.string().optional() })
  .meta({ id: "GroupListResponse" });

export const groupMembershipRequestSchema = z
  .object({ principal_id: uuid, principal_kind: z.enum(["user", "service_identity", "group"]), source: z.enum(["manual", "idp"]) })
  .strict()
  .meta({ id: "GroupMembershipRequest" });

export const groupMembershipResponseSchema = z
  .object({
    group_id: uuid,
    principal_id: uuid,
    principal_kind: z.enum(["user", "service_identity", "group"]),
    source: z.enum(["manual", "idp"]),
    created_at: timestamp,
  })
  .meta({ id: "GroupMembershipResponse" });

export const groupMembershipListResponseSchema = z
  .object({ items: z.array(groupMembershipResponseSchema) })
  .meta({ id: "GroupMembershipListResponse" });

export const identitySummarySchema = z
  .object({
    id: uuid,
    kind: z.enum(["user", "service-identity"]),
    domain_id: uuid,
    display_name: z.string(),
    external_subject_pseudonym: pseudonym,
    last_sign_in_at: timestamp.nullable(),
    created_at: timestamp,
    status: z.enum(["active", "disabled"]).describe("Ours, beyond the contract: a disabled user can neither sign in nor use a token."),
  })
  .meta({ id: "IdentitySummary" });

export const identityListSchema = z
  .object({ items: z.array(identitySummarySchema), next_cursor: z.string().nullable().optional() })
  .meta({ id: "IdentityList" });

export const identityDetailSchema = identitySummarySchema
  .extend({
    email: z.string().optional(),
    external_subject: z.string().optional(),
    updated_at: timestamp,
    source: z.string().describe("Ours: `local`, or the alias of the identity provider binding the person signs in with."),
    groups: z
      .array(z.object({ id: uuid, slug: z.string(), display_name: z.string() }))
      .describe("Ours: the groups the person is a member of."),
  })
  .meta({ id: "IdentityDetail" });

export const identityStatusRequestSchema = z
  .object({ status: z.enum(["active", "disabled"]) })
  .strict()
  .meta({ id: "IdentityStatusRequest", description: "Ours, beyond the contract: disable or re-enable a user." });

export const invitationInitialTupleSchema = z
  .object({
    relation: z.string().min(1).max(64),
    object: z.string().min(1).max(128),
    caveat_context: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: "InvitationInitialTuple" });

export const invitationCreateRequestSchema = z
  .object({
    external_subject: z.string().min(1).max(255),
    ttl_seconds: z.number().int().optional(),
    initial_tuples: z.array(invitationInitialTupleSchema).optional(),
  })
  .strict()
  .meta({ id: "InvitationCreateRequest" });

export const invitationResponseSchema = z
  .object({
    id: uuid,
    domain_id: uuid,
    external_subject_pseudonym: pseudonym,
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    expires_at: timestamp,
    created_at: timestamp,
    accepted_at: timestamp.optional(),
    accepted_user_id: uuid.optional(),
    revoked_at: timestamp.optional(),
    expired_at: timestamp.optional(),
    initial_tuples: z.array(invitationInitialTupleSchema),
    invitation_url: z
      .string()
      .optional()
      .describe("Ours, beyond the contract: on creation only, the one-time link to hand to the invitee. It is never shown again."),
  })
  .meta({ id: "InvitationResponse" });

export const invitationListSchema = z
  .object({ items: z.array(invitationResponseSchema), next_cursor: z.string().nullable().optional() })
  .meta({ id: "InvitationList" });
