import { z } from "zod";
import { CLOUD_PROVIDERS } from "@/lib/clouds/schema";
import { TOKEN_ENVS } from "@/lib/tokens/constants";
import { tokenNameSchema } from "@/lib/tokens/schema";
import type { CloudMetadata } from "@/lib/clouds/metadata";
import { MAX_PAYLOAD_BYTES } from "@/lib/credentials/limits";
import {
  DISPLAY_NAME_MAX,
  instantString,
  KEY_PATTERN,
  MAX_INT32,
  meshCidrField,
  plainString,
  REASON_MAX,
  SLUG_MAX,
} from "@/lib/validation";

/**
 * The /v1 wire shapes, written once in zod: route handlers parse requests
 * with them, and /v1/openapi.json is generated from them. Field names follow
 * the plexsphere v1 contract (snake_case).
 */
const uuid = z.string().uuid();
const timestamp = z.string().datetime({ offset: true });
/**
 * Inbound maps check their keys with the console's one key rule, so the
 * published schema says it too. zod skips a "__proto__" key before any key
 * schema runs; the body reader (lib/api/body.ts) refuses that one first.
 */
const keyName = z.string().regex(KEY_PATTERN);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    correlation_id: z
      .string()
      .describe("This request's id, also sent as X-Correlation-Id; the server's log lines and audit entries name it."),
  })
  // RFC 9457 lets a problem carry extension members (cloud_child_counts, retry_after_seconds, ...).
  .loose()
  .meta({ id: "Problem", description: "RFC 9457 problem details; `code` is the machine-readable error." });

export const permissionDeniedSchema = problemSchema
  .extend({
    reason: z.enum(["out_of_scope", "insufficient_relation", "caveat_violation"]),
    relation_path: z.array(z.string()),
  })
  .meta({ id: "PermissionDenied" });

const STRICT_PAYLOAD_SHAPE =
  "Ours, beyond the contract. When true, an issue or rotate whose payload does not have the Cloud " +
  "provider's credential shape is refused with 400 invalid_payload unless it sets allow_unusual_shape; " +
  "when false (the default) it is stored and the answer carries a Plexsphere-Shape-Warning header. Set " +
  "by the Cloud's managers.";

export const cloudProviderSchema = z.enum(CLOUD_PROVIDERS).meta({ id: "CloudProvider" });

export const cloudResponseSchema = z
  .object({
    id: uuid,
    display_name: z.string().max(DISPLAY_NAME_MAX),
    slug: z.string().min(1).max(SLUG_MAX),
    provider: cloudProviderSchema,
    endpoint: z.record(z.string(), z.unknown()),
    region_defaults: z.record(z.string(), z.unknown()),
    external_id: z.string().min(1),
    strict_payload_shape: z.boolean().describe(STRICT_PAYLOAD_SHAPE),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "CloudResponse" });

export const cloudListSchema = z
  .object({ items: z.array(cloudResponseSchema), next_cursor: z.string().optional() })
  .meta({ id: "CloudList" });

/**
 * A free-form JSON object (a Cloud's endpoint, region_defaults). Checked by
 * reference, not copied: a copy made by assignment would silently drop a
 * `__proto__` key that lib/clouds/metadata.ts must see to refuse.
 */
const freeFormObject = z
  .custom<CloudMetadata>((value) => value !== null && typeof value === "object" && !Array.isArray(value), {
    message: "must be a JSON object",
  })
  .meta({ freeForm: true });
const keyValueMap = z.record(keyName, z.string());

export const cloudCreateRequestSchema = z
  .object({
    display_name: z.string(),
    slug: z.string(),
    provider: z.string(),
    endpoint: freeFormObject,
    region_defaults: freeFormObject,
    external_id: z.string(),
  })
  .strict()
  .meta({ id: "CloudCreateRequest" });

export const cloudPatchRequestSchema = z
  .object({
    display_name: z.string().optional(),
    endpoint: freeFormObject.optional(),
    region_defaults: freeFormObject.optional(),
    strict_payload_shape: z.boolean().optional().describe(STRICT_PAYLOAD_SHAPE),
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
    display_name: z.string().max(DISPLAY_NAME_MAX),
    version: z.number().int().min(1),
    status: z.enum(["active", "expired", "revoked"]),
    expires_at: timestamp,
    revoked_at: timestamp.optional(),
    expired_at: timestamp.optional(),
    secret_revocation: z
      .enum(["pending", "complete"])
      .optional()
      .describe(
        "Ours, beyond the contract. Present once the credential is revoked or expired: `pending` while the " +
          "secrets engine still holds the material (the server retries the soft delete), `complete` once it is " +
          "soft-deleted.",
      ),
    secret_missing_at: timestamp
      .optional()
      .describe(
        "Beyond the contract. When the reconciler found the secrets engine no longer holds this credential's material; absent while it does.",
      ),
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
    payload: z.string().describe(`base64 of 1–${MAX_PAYLOAD_BYTES} secret bytes; accepted inbound only`),
    key_values: keyValueMap.optional(),
    allow_unusual_shape: z
      .boolean()
      .optional()
      .describe(
        "Ours, beyond the contract. The payload is checked against the Cloud provider's credential shape, in " +
          "our field names or the provider tools' own. On a Cloud with strict_payload_shape, a payload without " +
          "it is 400 invalid_payload naming the failing field rule, and true writes it anyway (the audit entry " +
          "records the override); otherwise it is stored and the answer carries a Plexsphere-Shape-Warning " +
          "header.",
      ),
  })
  .strict()
  .meta({ id: "CloudCredentialIssueRequest" });

export const cloudCredentialRevokeRequestSchema = z
  .object({ reason: plainString(REASON_MAX) })
  .strict()
  .meta({ id: "CloudCredentialRevokeRequest" });

// The credential <-> Cloud associations (/v1/cloud-credentials/{id}/clouds, lib/credentials/usages.ts).
export const cloudUsageRefSchema = z
  .object({ cloud_id: uuid })
  .meta({ id: "CloudUsageRef", description: "A Cloud the credential serves." });

export const cloudCredentialCloudListSchema = z
  .object({ items: z.array(cloudUsageRefSchema), next_cursor: z.string().optional() })
  .meta({ id: "CloudCredentialCloudList", description: "The credential's home Cloud and every attached usage Cloud, by cloud_id." });

export const cloudCredentialAttachRequestSchema = z
  .object({
    // Parsed as text so a malformed id is 400 invalid_cloud_id (as the contract says), not invalid_body.
    cloud_id: z.string().max(128).meta({ format: "uuid" }),
  })
  .strict()
  .meta({ id: "CloudCredentialAttachRequest" });

export const whoamiSchema = z
  .object({
    principal_type: z.enum(["user", "service"]),
    principal_scope: z.enum(["domain", "platform"]),
    subject: z.string(),
    domain_id: uuid.optional(),
    email: z.string().optional(),
    amr: z.array(z.string()).max(16).optional(),
  })
  .meta({ id: "Whoami" });

export const apiTokenIssueRequestSchema = z
  .object({
    identity_ref: z
      .string()
      .regex(/^(user|service):[0-9a-fA-F-]{36}$/)
      .max(44),
    env_prefix: z.enum(TOKEN_ENVS),
    ttl_seconds: z.number().int().min(1).max(31_536_000).optional(),
    /** Ours, beyond the contract: what the holder calls the token (default "API token"). */
    name: tokenNameSchema.optional(),
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
    /** Ours, beyond the contract: the token's name and who minted it. */
    name: z.string().optional(),
    created_by: uuid.nullable().optional(),
    env_prefix: z.string(),
    last_used_at: timestamp.optional(),
    created_at: timestamp,
    expires_at: timestamp,
    rotated_at: timestamp.optional(),
  })
  .meta({ id: "APITokenSummary" });

export const rebacCheckRequestSchema = z
  .object({
    subject: plainString(4096).min(1),
    relation: plainString(4096).min(1),
    resource: plainString(4096).min(1),
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
    repeat_count: z
      .number()
      .int()
      .min(1)
      .meta({ description: "How many identical denials this entry stands for; repeated denials are aggregated." }),
  })
  .meta({ id: "AuditEntry", description: "One recorded decision; never secret material." });

export const auditEntryListSchema = z
  .object({ items: z.array(auditEntrySchema), next_cursor: z.string().optional() })
  .meta({ id: "AuditEntryList" });

export const cloudCredentialRotateRequestSchema = z
  .object({
    // The next version must still fit PostgreSQL's integer.
    expected_version: z
      .number()
      .int()
      .min(1)
      .max(MAX_INT32 - 1),
    payload: z.string().describe(`base64 of 1–${MAX_PAYLOAD_BYTES} secret bytes; accepted inbound only`),
    key_values: keyValueMap.optional(),
    expires_at: instantString
      .optional()
      .describe(
        "Renew with the new material: a new expiry, in the future and at most 365 days from now (400 " +
          "invalid_expiry otherwise). Absent keeps the current expiry.",
      ),
    allow_unusual_shape: z
      .boolean()
      .optional()
      .describe(
        "Ours, beyond the contract. The payload is checked against the Cloud provider's credential shape, in " +
          "our field names or the provider tools' own. On a Cloud with strict_payload_shape, a payload without " +
          "it is 400 invalid_payload naming the failing field rule, and true writes it anyway (the audit entry " +
          "records the override); otherwise it is stored and the answer carries a Plexsphere-Shape-Warning " +
          "header.",
      ),
  })
  .strict()
  .meta({ id: "CloudCredentialRotateRequest" });

export const cloudCredentialPatchRequestSchema = z
  .object({ display_name: z.string().optional(), expires_at: instantString.optional() })
  .strict()
  .meta({
    id: "CloudCredentialPatchRequest",
    description:
      "Rename, or move the expiry: closer, or later (renew) up to 365 days from now (400 invalid_expiry " +
      "beyond). A revoked or expired credential keeps its expiry (409 credential_revoked / " +
      "credential_expired). The secret is not touched.",
  });

export const credentialValidationSchema = z
  .object({
    valid: z.boolean(),
    provider: cloudProviderSchema,
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
  })
  .meta({ id: "CloudCredentialValidation", description: "Which checks the stored material passed; never any value." });

export const domainResponseSchema = z
  .object({
    id: uuid,
    name: z.string(),
    slug: z.string(),
    description: z.string(),
    // Omitted, never "": the one Domain owns no mesh pool (docs/api/contract-differences.md).
    mesh_cidr: meshCidrField.optional(),
    reachability: z.object({ heartbeat_interval: z.string(), stale_after: z.string(), unreachable_after: z.string() }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "DomainResponse", description: "The console's one tenancy Domain; every account and Project belongs to it." });

export const domainListSchema = z
  .object({ items: z.array(domainResponseSchema), next_cursor: z.string().optional() })
  .meta({ id: "DomainList" });

export const projectResponseSchema = z
  .object({ id: uuid, domain_id: uuid, name: z.string(), slug: z.string(), created_at: timestamp, updated_at: timestamp })
  .meta({ id: "ProjectResponse" });

export const projectListSchema = z
  .object({ items: z.array(projectResponseSchema), next_cursor: z.string().optional() })
  .meta({ id: "ProjectList" });

export const projectCreateRequestSchema = z
  .object({
    domain_id: uuid,
    name: z.string(),
    slug: z.string(),
    description: plainString(1024).optional(),
    sub_range_cidr: plainString(64).optional(),
  })
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

export const cloudAssignmentListSchema = z
  .object({ items: z.array(cloudAssignmentResponseSchema), next_cursor: z.string().optional() })
  .meta({ id: "CloudAssignmentList" });

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
  .object({ reason: plainString(REASON_MAX).min(1) })
  .strict()
  .meta({ id: "CredentialAssignmentDecisionRequest", description: "Body of reject and revoke: a non-blank reason." });

export const credentialAssignmentApproveRequestSchema = z
  .object({ reason: z.string().max(REASON_MAX).optional() })
  .strict()
  .meta({ id: "CredentialAssignmentApproveRequest", description: "Optional body of approve; clients of the contract send none." });

export const relationTupleSchema = z
  .object({ id: uuid, subject: z.string(), relation: z.string(), resource: z.string(), created_at: timestamp })
  .meta({ id: "RelationTuple" });

export const relationTupleListSchema = z
  .object({ items: z.array(relationTupleSchema), next_cursor: z.string().optional() })
  .meta({ id: "RelationTupleList" });

export const relationTupleCreateRequestSchema = z
  .object({ subject: plainString(4096).min(1), relation: plainString(4096).min(1), resource: plainString(4096).min(1) })
  .strict()
  .meta({ id: "RelationTupleCreateRequest" });

export const relationTuplePatchRequestSchema = z
  .object({ subject: z.string().min(1).max(4096), relation: z.string().min(1).max(4096), resource: z.string().min(1).max(4096) })
  .strict()
  .meta({ id: "RelationTuplePatchRequest", description: "The whole replacement tuple; caveats are not supported." });
// RFC 8628 device authorization (plexctl login), as the identity part of the contract words it.
export const deviceCodeRequestSchema = z
  .object({
    domain_id: uuid.optional(),
    idp_binding_id: uuid.optional(),
    idp_binding_alias: z.string().max(256).optional(),
    client_id: z.string().max(256).optional(),
  })
  .strict()
  .meta({
    id: "DeviceCodeRequest",
    description: "domain_id and the IdP binding are accepted and ignored: there are no tenancy Domains yet.",
  });

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

const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const auditChainVerifyRequestSchema = z
  .object({ from_seq: seq.optional(), to_seq: seq.optional() })
  .strict()
  .refine((b) => b.from_seq === undefined || b.to_seq === undefined || b.to_seq >= b.from_seq, {
    message: "to_seq must not be below from_seq",
    path: ["to_seq"],
  })
  .meta({ id: "AuditChainVerifyRequest" });

export const auditChainVerifyResultSchema = z
  .object({
    ok: z.boolean(),
    divergent_seq: seq.nullable().optional(),
    expected_hash: sha256Hex.nullable().optional(),
    observed_hash: sha256Hex.nullable().optional(),
    segment_from: seq,
    segment_to: seq,
    refused_entry_id: z
      .string()
      .nullable()
      .optional()
      .meta({
        description:
          "An entry the sealer refused to chain because it carries no valid MAC from the server (a row " +
          "inserted straight into the database): `divergent_seq` is then the seq it would take, and nothing " +
          "after it is sealed until an operator removes it. `null` otherwise.",
      }),
  })
  .meta({ id: "AuditChainVerifyResult" });
export * from "./identity-schemas";
// The approval queue and the Cloud assignment lifecycle (plexsphere v1, newer).
export * from "./approval-schemas";
export * from "./audit-chain-schemas";
// IdP bindings (lib/sso/schema.ts), re-exported so the document registers them.
export {
  domainIdpBindingSchema,
  idpBindingPatchRequestSchema,
  idpBindingRequestSchema,
  idpBindingResponseSchema,
  idpBindingStatusRequestSchema,
  platformIdpBindingRequestSchema,
} from "@/lib/sso/schema";
// A Cloud's expiry reminders (lib/reminders/schema.ts), re-exported so the document registers them.
export { reminderSettingsRequestSchema, reminderSettingsResponseSchema } from "@/lib/reminders/schema";
