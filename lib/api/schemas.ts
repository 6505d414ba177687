import { z } from "zod";
import { CLOUD_PROVIDERS } from "@/lib/clouds/schema";
import { TOKEN_ENVS } from "@/lib/tokens/constants";
import { KEY_PATTERN } from "@/lib/validation";

/**
 * The /v1 wire shapes, written once in zod: route handlers parse requests
 * with them, and /v1/openapi.json is generated from them. Field names follow
 * the plexsphere v1 contract (snake_case).
 */
const uuid = z.string().uuid();
const timestamp = z.string().datetime({ offset: true });
const stringMap = z.record(z.string(), z.string());

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
  })
  // RFC 9457 lets a problem carry extension members (correlation_id, cloud_child_counts, ...).
  .loose()
  .meta({ id: "Problem", description: "RFC 9457 problem details; `code` is the machine-readable error." });

export const permissionDeniedSchema = problemSchema
  .extend({
    reason: z.enum(["out_of_scope", "insufficient_relation", "caveat_violation"]),
    relation_path: z.array(z.string()),
    correlation_id: z.string(),
  })
  .meta({ id: "PermissionDenied" });

export const cloudProviderSchema = z.enum(CLOUD_PROVIDERS).meta({ id: "CloudProvider" });

export const cloudResponseSchema = z
  .object({
    id: uuid,
    display_name: z.string().max(256),
    slug: z.string().min(1).max(63),
    provider: cloudProviderSchema,
    endpoint: stringMap,
    region_defaults: stringMap,
    external_id: z.string().min(1),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "CloudResponse" });

export const cloudListSchema = z
  .object({ items: z.array(cloudResponseSchema), next_cursor: z.string().optional() })
  .meta({ id: "CloudList" });

const metadataMap = z.record(z.string().regex(KEY_PATTERN), z.string().max(1024));

export const cloudCreateRequestSchema = z
  .object({
    display_name: z.string(),
    slug: z.string(),
    provider: z.string(),
    endpoint: metadataMap,
    region_defaults: metadataMap,
    external_id: z.string(),
  })
  .strict()
  .meta({ id: "CloudCreateRequest" });

export const cloudPatchRequestSchema = z
  .object({
    display_name: z.string().optional(),
    endpoint: metadataMap.optional(),
    region_defaults: metadataMap.optional(),
  })
  .strict()
  .meta({ id: "CloudPatchRequest" });

export const cloudChildCountsSchema = z
  .object({ cloud_credentials: z.number().int().min(0), cloud_credential_usages: z.number().int().min(0) })
  .meta({ id: "CloudChildCounts" });

export const cloudNotEmptySchema = problemSchema
  .extend({ cloud_child_counts: cloudChildCountsSchema })
  .meta({ id: "CloudNotEmpty", description: "409 cloud_not_empty: what the Cloud still owns." });

export const cloudCredentialResponseSchema = z
  .object({
    id: uuid,
    cloud_id: uuid,
    display_name: z.string().max(256),
    version: z.number().int().min(1),
    status: z.enum(["active", "expired", "revoked"]),
    expires_at: timestamp,
    revoked_at: timestamp.optional(),
    expired_at: timestamp.optional(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "CloudCredentialResponse", description: "Metadata only: never the payload, key-values, or storage location." });

export const cloudCredentialListSchema = z
  .object({ items: z.array(cloudCredentialResponseSchema), next_cursor: z.string().optional() })
  .meta({ id: "CloudCredentialList" });

export const cloudCredentialIssueRequestSchema = z
  .object({
    display_name: z.string(),
    payload: z.string().describe("base64 of 1–4096 secret bytes; accepted inbound only"),
    key_values: stringMap.optional(),
  })
  .strict()
  .meta({ id: "CloudCredentialIssueRequest" });

export const cloudCredentialRevokeRequestSchema = z
  .object({ reason: z.string() })
  .strict()
  .meta({ id: "CloudCredentialRevokeRequest" });

export const whoamiSchema = z
  .object({
    principal_type: z.enum(["user", "service"]),
    principal_scope: z.enum(["domain", "platform"]),
    subject: z.string(),
    email: z.string().optional(),
    amr: z.array(z.string()).max(16).optional(),
  })
  .meta({ id: "Whoami" });

export const apiTokenIssueRequestSchema = z
  .object({
    identity_ref: z.string().regex(/^(user|service):[0-9a-fA-F-]{36}$/).max(44),
    env_prefix: z.enum(TOKEN_ENVS),
    ttl_seconds: z.number().int().min(1).max(31_536_000).optional(),
  })
  .strict()
  .meta({ id: "APITokenIssueRequest" });

export const apiTokenIssueResponseSchema = z
  .object({ id: uuid, plaintext: z.string(), env_prefix: z.string(), expires_at: timestamp })
  .meta({ id: "APITokenIssueResponse" });

export const apiTokenRotateResponseSchema = apiTokenIssueResponseSchema
  .extend({ rotation_deadline: timestamp })
  .meta({ id: "APITokenRotateResponse" });

export const apiTokenSummarySchema = z
  .object({
    id: uuid,
    env_prefix: z.string(),
    last_used_at: timestamp.optional(),
    created_at: timestamp,
    expires_at: timestamp,
    rotated_at: timestamp.optional(),
  })
  .meta({ id: "APITokenSummary" });

export const rebacCheckRequestSchema = z
  .object({
    subject: z.string().min(1).max(4096),
    relation: z.string().min(1).max(4096),
    resource: z.string().min(1).max(4096),
    caveat_context: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: "RebacCheckRequest" });

export const rebacCheckResponseSchema = z
  .object({
    decision: z.enum(["allowed", "denied"]),
    relation_path: z.array(z.string()).optional(),
    reason: z.enum(["out_of_scope", "insufficient_relation", "caveat_violation", "unknown"]).optional(),
    correlation_id: z.string(),
  })
  .meta({ id: "RebacCheckResponse" });

export const healthStatusSchema = z
  .object({
    status: z.enum(["ok", "degraded", "down"]),
    checks: z.array(z.object({ name: z.string(), status: z.enum(["ok", "degraded", "down"]), detail: z.string().optional() })),
  })
  .meta({ id: "HealthStatus" });

export const auditEntrySchema = z
  .object({
    id: uuid,
    at: timestamp,
    actor_id: uuid.nullable(),
    action: z.string(),
    target_type: z.string(),
    target_id: z.string(),
    cloud_id: uuid.nullable(),
    outcome: z.enum(["succeeded", "denied", "failed"]),
    reason: z.string().nullable(),
    correlation_id: z.string(),
  })
  .meta({ id: "AuditEntry", description: "One recorded decision; never secret material." });

export const auditEntryListSchema = z
  .object({ items: z.array(auditEntrySchema), next_cursor: z.string().optional() })
  .meta({ id: "AuditEntryList" });

export const cloudCredentialRotateRequestSchema = z
  .object({
    expected_version: z.number().int().min(1),
    payload: z.string().describe("base64 of 1–4096 secret bytes; accepted inbound only"),
    key_values: stringMap.optional(),
  })
  .strict()
  .meta({ id: "CloudCredentialRotateRequest" });

export const cloudCredentialPatchRequestSchema = z
  .object({ display_name: z.string().optional(), expires_at: timestamp.optional() })
  .strict()
  .meta({ id: "CloudCredentialPatchRequest", description: "Rename, or bring the expiry closer; the secret is not touched." });

export const credentialValidationSchema = z
  .object({
    valid: z.boolean(),
    provider: cloudProviderSchema,
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
  })
  .meta({ id: "CloudCredentialValidation", description: "Which checks the stored material passed; never any value." });

/** We have no tenancy Domains yet: every Project answers with this one (README: "Where we differ"). */
export const DEFAULT_DOMAIN_ID = "00000000-0000-7000-8000-000000000001";

export const projectResponseSchema = z
  .object({ id: uuid, domain_id: uuid, name: z.string(), slug: z.string(), created_at: timestamp, updated_at: timestamp })
  .meta({ id: "ProjectResponse" });

export const projectListSchema = z.object({ items: z.array(projectResponseSchema), next_cursor: z.string().optional() }).meta({ id: "ProjectList" });

export const projectCreateRequestSchema = z
  .object({ domain_id: uuid, name: z.string(), slug: z.string(), description: z.string().max(1024).optional(), sub_range_cidr: z.string().optional() })
  .strict()
  .meta({ id: "ProjectCreateRequest" });

export const cloudAssignmentGrantRequestSchema = z.object({ project_id: uuid }).strict().meta({ id: "CloudAssignmentGrantRequest" });

export const cloudAssignmentResponseSchema = z
  .object({
    id: uuid,
    project_id: uuid,
    cloud_id: uuid,
    state: z.enum(["requested", "approved", "rejected", "revoked"]),
    materialised: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "CloudAssignmentResponse" });

export const credentialAssignmentResponseSchema = z
  .object({
    id: uuid,
    project_id: uuid,
    cloud_credential_id: uuid,
    state: z.enum(["requested", "approved", "rejected", "revoked"]),
    materialised: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "CredentialAssignmentResponse" });

export const credentialAssignmentListSchema = z
  .object({ items: z.array(credentialAssignmentResponseSchema), next_cursor: z.string().optional() })
  .meta({ id: "CredentialAssignmentList" });

export const credentialAssignmentRequestSchema = z
  .object({ cloud_credential_id: uuid.optional(), cloud_id: uuid.optional() })
  .strict()
  .meta({ id: "CredentialAssignmentRequest" });

export const credentialAssignmentDecisionRequestSchema = z
  .object({ reason: z.string().min(1).max(1024) })
  .strict()
  .meta({ id: "CredentialAssignmentDecisionRequest" });

export const relationTupleSchema = z
  .object({ id: uuid, subject: z.string(), relation: z.string(), resource: z.string(), created_at: timestamp })
  .meta({ id: "RelationTuple" });

export const relationTupleListSchema = z.object({ items: z.array(relationTupleSchema), next_cursor: z.string().optional() }).meta({ id: "RelationTupleList" });

export const relationTupleCreateRequestSchema = z
  .object({ subject: z.string().min(1).max(4096), relation: z.string().min(1).max(4096), resource: z.string().min(1).max(4096) })
  .strict()
  .meta({ id: "RelationTupleCreateRequest" });

// RFC 8628 device authorization (plexctl login), as the identity part of the contract words it.
export const deviceCodeRequestSchema = z
  .object({
    domain_id: uuid.optional(),
    idp_binding_id: uuid.optional(),
    idp_binding_alias: z.string().max(256).optional(),
    client_id: z.string().max(256).optional(),
  })
  .strict()
  .meta({ id: "DeviceCodeRequest", description: "domain_id and the IdP binding are accepted and ignored: there are no tenancy Domains yet." });

export const deviceCodeResponseSchema = z
  .object({
    device_code: z.string(),
    user_code: z.string(),
    verification_uri: z.string(),
    verification_uri_complete: z.string(),
    expires_in: z.number().int(),
    interval: z.number().int(),
  })
  .meta({ id: "DeviceCodeResponse" });

export const deviceTokenRequestSchema = z
  .object({ device_code: z.string().min(1).max(256), client_id: z.string().max(256).optional() })
  .strict()
  .meta({ id: "DeviceTokenRequest" });

export const serviceTokenResponseSchema = z
  .object({ access_token: z.string(), token_type: z.literal("Bearer"), expires_in: z.number().int(), scope: z.string().optional() })
  .meta({ id: "ServiceTokenResponse" });

export const deviceApproveRequestSchema = z
  .object({ user_code: z.string().regex(/^[A-Z2-7]{4}-?[A-Z2-7]{4}$/) })
  .strict()
  .meta({ id: "DeviceApproveRequest" });

export const deviceApproveResponseSchema = z.object({ status: z.literal("approved") }).meta({ id: "DeviceApproveResponse" });
