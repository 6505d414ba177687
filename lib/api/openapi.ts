import { z } from "zod";
import * as schemas from "./schemas";

/**
 * /v1/openapi.json, generated: components come from the zod schemas in
 * ./schemas.ts (each `.meta({ id })` is one), paths from the table below.
 * A contract test checks every response our tests receive against it, so
 * it cannot drift from what the handlers serve.
 */
type Op = {
  summary: string;
  public?: boolean;
  request?: string;
  /** The body may be left out entirely (approve: the contract declares none). */
  optionalBody?: boolean;
  /** Served by this console only; the plexsphere v1 contract has no such operation. */
  ours?: boolean;
  responses: Record<number, string | null>;
  params?: (keyof typeof parameters)[];
  /** Response headers beyond the contract's, by status. */
  headers?: Record<number, (keyof typeof responseHeaders)[]>;
};

const responseHeaders = {
  // A header, not a body field: contract clients decode the body strictly by its schema and ignore headers they do not know.
  "Plexsphere-Shape-Warning": {
    description:
      "Ours, beyond the contract. Present when the payload was stored although it does not have the Cloud " +
      "provider's credential shape (its Cloud is not strict): one line naming the failing field rules, " +
      "never a value.",
    schema: { type: "string" },
  },
};

/** Every problem answer names its request: the body's correlation_id, repeated in this header. */
const CORRELATION_HEADER = {
  "X-Correlation-Id": { description: "The request's correlation id; equal to the problem's correlation_id.", schema: { type: "string" } },
};

function responseHeadersFor(op: Op, status: number) {
  const headers = {
    ...(status >= 400 ? CORRELATION_HEADER : {}),
    ...Object.fromEntries((op.headers?.[status] ?? []).map((h) => [h, responseHeaders[h]])),
  };
  return Object.keys(headers).length > 0 ? { headers } : {};
}

const parameters = {
  id: { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
  // The contract names the audit endpoints' Domain `domainId` (served from app/v1/domains/[id]/audit).
  domainId: { name: "domainId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
  limit: { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
  cursor: { name: "cursor", in: "query", required: false, schema: { type: "string" } },
  project_id: { name: "project_id", in: "query", required: true, schema: { type: "string", format: "uuid" } },
  domain_id: { name: "domain_id", in: "query", required: false, schema: { type: "string", format: "uuid" } },
  domain_id_required: { name: "domain_id", in: "query", required: true, schema: { type: "string", format: "uuid" } },
  cloud_id: { name: "cloud_id", in: "query", required: false, schema: { type: "string", format: "uuid" } },
  chooser_scope: { name: "scope", in: "query", required: false, schema: { type: "string", enum: ["platform"] } },
  actor_id: { name: "actor_id", in: "query", required: false, schema: { type: "string", format: "uuid" } },
  action: { name: "action", in: "query", required: false, schema: { type: "string" } },
  since: { name: "since", in: "query", required: false, schema: { type: "string", description: "RFC 3339 time or date" } },
  until: { name: "until", in: "query", required: false, schema: { type: "string", description: "RFC 3339 time or date" } },
  required_domain_id: { name: "domain_id", in: "query", required: true, schema: { type: "string", format: "uuid" } },
  principal_id: { name: "principal_id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
  cloud_id_path: { name: "cloud_id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
  // The audit chain reads (lib/audit/chain-read.ts), named as the newest contract names them.
  domain_id_path: { name: "domain_id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
  seq: { name: "seq", in: "path", required: true, schema: { type: "integer", minimum: 1 } },
  subject: { name: "subject", in: "query", required: false, schema: { type: "string", pattern: "^[0-9a-fA-F]{64}$" } },
  relation: { name: "relation", in: "query", required: false, schema: { type: "string" } },
  object_type: { name: "object_type", in: "query", required: false, schema: { type: "string" } },
  object_id: { name: "object_id", in: "query", required: false, schema: { type: "string" } },
  chain_reason: {
    name: "reason",
    in: "query",
    required: false,
    schema: { type: "string", enum: ["granted", "out_of_scope", "insufficient_relation", "caveat_violation", "unknown"] },
  },
  from: { name: "from", in: "query", required: false, schema: { type: "string", format: "date-time" } },
  to: { name: "to", in: "query", required: false, schema: { type: "string", format: "date-time" } },
  correlation_id: { name: "correlation_id", in: "query", required: false, schema: { type: "string" } },
  principalId: { name: "principalId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
  invitationId: { name: "invitationId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
  member_kind: { name: "kind", in: "query", required: true, schema: { type: "string", enum: ["user", "service_identity", "group"] } },
  identity_kind: { name: "kind", in: "query", required: false, schema: { type: "string", enum: ["user", "service-identity"] } },
  approval_status: {
    name: "status",
    in: "query",
    required: false,
    schema: { type: "string", enum: ["proposed", "pending-approval", "approved", "rejected", "expired", "revoked"] },
  },
  approval_kind: {
    name: "kind",
    in: "query",
    required: false,
    schema: { type: "string", enum: ["approval", "credential_assignment", "cloud_assignment"] },
  },
  invitation_status: {
    name: "status",
    in: "query",
    required: false,
    schema: { type: "string", enum: ["pending", "accepted", "revoked", "expired", "all"], default: "all" },
  },
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, s === 403 ? "PermissionDenied" : "Problem"]));
const listOf = (id: string) => `array:${id}`;

export const operations: Record<string, Record<string, Op>> = {
  "/v1/health": {
    get: { summary: "Process health and sub-component checks.", public: true, responses: { 200: "HealthStatus", 503: "HealthStatus" } },
  },
  "/v1/openapi.json": { get: { summary: "This document.", public: true, responses: { 200: "object" } } },
  "/v1/auth/whoami": {
    get: { summary: "The authenticated principal.", responses: { 200: "Whoami", ...problems(401) } },
    delete: {
      summary: "Sign out: ends the session on the server and clears its cookie; always 204.",
      public: true,
      responses: { 204: null },
    },
  },
  "/v1/auth/sign-out/global": {
    post: {
      summary:
        "Sign out everywhere: ends every console session of the caller and clears the cookie (on every " +
        "answer). A session caller only: a bearer API token is 403.",
      responses: { 204: null, ...problems(401, 403) },
    },
  },
  // RFC 8628 device authorization for plexctl login (lib/auth/device.ts).
  "/v1/auth/device-code": {
    post: {
      summary:
        "Start a device login: codes for the CLI and the person. At most 20 per client address in 10 minutes (429 with Retry-After).",
      public: true,
      request: "DeviceCodeRequest",
      responses: { 200: "DeviceCodeResponse", ...problems(400, 413, 415, 429) },
    },
  },
  "/v1/auth/device-token": {
    post: {
      summary:
        "Poll a device login; 400 code authorization_pending, slow_down, access_denied, expired_token or " +
        "invalid_grant until approved. Approved with a bearer token, the device token expires with that " +
        "token and is revoked with it.",
      public: true,
      request: "DeviceTokenRequest",
      responses: { 200: "ServiceTokenResponse", ...problems(400, 413, 415, 429) },
    },
  },
  "/v1/auth/device/approve": {
    post: {
      summary:
        "Approve a device login by its user_code, as the signed-in caller. At most 10 user codes that match " +
        "nothing per person in 10 minutes (429 device_lookup_throttled with Retry-After).",
      request: "DeviceApproveRequest",
      responses: { 200: "DeviceApproveResponse", 403: "Problem", ...problems(400, 401, 404, 409, 413, 415, 429) },
    },
  },
  "/v1/auth/tokens": {
    post: {
      summary:
        "Issue an API token for yourself; the plaintext is returned once. Issued with a bearer token, it " +
        "expires no later than that token and is revoked with it. At most 30 per account a minute (429 " +
        "token_issue_throttled with Retry-After).",
      request: "APITokenIssueRequest",
      responses: { 201: "APITokenIssueResponse", ...problems(400, 401, 403, 413, 415, 429) },
    },
    get: { summary: "Your live API tokens (no plaintext).", responses: { 200: listOf("APITokenSummary"), ...problems(401) } },
  },
  "/v1/auth/tokens/{id}": {
    delete: {
      summary: "Revoke an API token at once, and every token minted with it.",
      params: ["id"],
      responses: { 204: null, ...problems(401, 404) },
    },
  },
  "/v1/auth/tokens/{id}/rotate": {
    post: {
      summary:
        "Rotate an API token; the old plaintext works until the Sunset header. A bearer caller may rotate " +
        "only itself or a token minted with it (403 otherwise).",
      params: ["id"],
      responses: { 200: "APITokenRotateResponse", ...problems(401, 403, 404) },
    },
  },
  "/v1/auth/idp-bindings": {
    get: {
      summary:
        "Active identity providers for the sign-in chooser, display-safe, primary first: a Domain's (domain_id), or the " +
        "platform-shared ones (scope=platform, which wins); neither is [].",
      public: true,
      params: ["domain_id", "chooser_scope"],
      responses: { 200: listOf("DomainIdPBinding"), ...problems(400) },
    },
  },
  "/v1/admin/idp": {
    get: {
      summary: "Identity providers (platform#manage); domain_id filters to one Domain's set.",
      params: ["domain_id"],
      responses: { 200: listOf("IdPBindingResponse"), ...problems(400, 401, 403) },
    },
    post: {
      summary: "Add an identity provider (platform#manage). client_secret is write-only; only client_secret_ref is kept and echoed.",
      request: "IdPBindingRequest",
      responses: { 201: "IdPBindingResponse", ...problems(400, 401, 403, 409, 413, 415) },
    },
  },
  "/v1/admin/platform-idp": {
    get: {
      summary: "Platform-scoped (shared) identity providers (platform#manage).",
      responses: { 200: listOf("IdPBindingResponse"), ...problems(401, 403) },
    },
    post: {
      summary: "Add a platform-scoped identity provider (platform#manage).",
      request: "PlatformIdPBindingRequest",
      responses: { 201: "IdPBindingResponse", ...problems(400, 401, 403, 409, 413, 415) },
    },
  },
  "/v1/admin/idp/{id}": {
    get: {
      summary: "One identity provider (platform#manage).",
      params: ["id"],
      responses: { 200: "IdPBindingResponse", ...problems(400, 401, 403, 404) },
    },
    patch: {
      summary:
        "Change an identity provider (platform#manage); a new client_secret replaces the stored one. 409 binding_conflict when it changed meanwhile.",
      params: ["id"],
      request: "IdPBindingPatchRequest",
      responses: { 200: "IdPBindingResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
    delete: {
      summary: "Delete an identity provider and its stored client secret (platform#manage).",
      params: ["id"],
      responses: { 204: null, ...problems(400, 401, 403, 404) },
    },
  },
  "/v1/admin/idp/{id}/status": {
    patch: {
      summary: "Activate or deactivate an identity provider (platform#manage).",
      params: ["id"],
      request: "IdPBindingStatusRequest",
      responses: { 200: "IdPBindingResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/authz/check": {
    post: {
      summary:
        "May subject (user:<id>, anyone's) do relation on resource (project:, cloud:, platform:plexsphere)? A denial is data, never a 403.",
      request: "RebacCheckRequest",
      responses: { 200: "RebacCheckResponse", ...problems(400, 401, 413, 415) },
    },
  },
  "/v1/authz/lookup-resources": {
    post: {
      summary:
        "Which resources of resource_type (cloud, project) the subject (user:<id> or group:<id>) holds " +
        "relation on, groups expanded. About others than yourself: platform admins only (else an empty list).",
      request: "LookupResourcesRequest",
      responses: { 200: "RebacLookupResponse", ...problems(400, 401, 413, 415) },
    },
  },
  "/v1/authz/lookup-subjects": {
    post: {
      summary:
        "Which subjects of subject_type (user, group) hold relation on resource, groups expanded into members; an empty list unless you observe the resource.",
      request: "LookupSubjectsRequest",
      responses: { 200: "RebacLookupResponse", ...problems(400, 401, 413, 415) },
    },
  },
  "/v1/admin/groups": {
    get: {
      summary: "Groups of the Domain, slug-ordered keyset pages (platform#manage).",
      params: ["required_domain_id", "limit", "cursor"],
      responses: { 200: "GroupListResponse", ...problems(400, 401, 403, 404) },
    },
    post: {
      summary: "Create a local (manual) or IdP group (platform#manage).",
      request: "GroupRequest",
      responses: { 201: "GroupResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/admin/groups/{id}": {
    get: { summary: "One group (platform#manage).", params: ["id"], responses: { 200: "GroupResponse", ...problems(400, 401, 403, 404) } },
    patch: {
      summary: "Rename a group (platform#manage).",
      params: ["id"],
      request: "GroupUpdateRequest",
      responses: { 200: "GroupResponse", ...problems(400, 401, 403, 404, 413, 415) },
    },
    delete: {
      summary: "Delete a group, its memberships and the tuples naming it (platform#manage).",
      params: ["id"],
      responses: { 204: null, ...problems(400, 401, 403, 404) },
    },
  },
  "/v1/admin/groups/{id}/members": {
    get: {
      summary: "A group's members (platform#manage).",
      params: ["id"],
      responses: { 200: "GroupMembershipListResponse", ...problems(400, 401, 403, 404) },
    },
    post: {
      summary: "Add a user; the source must be the group's (409 source-conflict).",
      params: ["id"],
      request: "GroupMembershipRequest",
      responses: { 201: "GroupMembershipResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/admin/groups/{id}/members/{principal_id}": {
    delete: {
      summary: "Remove a member (platform#manage).",
      params: ["id", "principal_id", "member_kind"],
      responses: { 204: null, ...problems(400, 401, 403, 404) },
    },
  },
  "/v1/domains/{id}/identities": {
    get: {
      summary: "The Domain's people, newest first (platform#manage).",
      params: ["id", "limit", "cursor", "identity_kind"],
      responses: { 200: "IdentityList", ...problems(400, 401, 403, 404) },
    },
  },
  "/v1/domains/{id}/identities/{principalId}": {
    get: {
      summary: "One person, with email, source and groups (platform#manage).",
      params: ["id", "principalId"],
      responses: { 200: "IdentityDetail", ...problems(400, 401, 403, 404) },
    },
    patch: {
      summary:
        "Ours, beyond the contract: disable ({status: disabled}; sessions end, tokens stop at the next request) or re-enable (platform#manage).",
      ours: true,
      params: ["id", "principalId"],
      request: "IdentityStatusRequest",
      responses: { 200: "IdentityDetail", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
    delete: {
      summary: "Ours, beyond the contract: remove the person and every grant naming them (platform#manage).",
      ours: true,
      params: ["id", "principalId"],
      responses: { 204: null, ...problems(400, 401, 403, 404, 409) },
    },
  },
  "/v1/domains/{id}/invitations": {
    get: {
      summary: "Invitations, newest first (platform#manage).",
      params: ["id", "limit", "cursor", "invitation_status"],
      responses: { 200: "InvitationList", ...problems(400, 401, 403, 404) },
    },
    post: {
      summary: "Invite an email (platform#manage); the response's invitation_url is the one-time link, shown only here.",
      params: ["id"],
      request: "InvitationCreateRequest",
      responses: { 201: "InvitationResponse", ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
    },
  },
  "/v1/domains/{id}/invitations/{invitationId}": {
    get: {
      summary: "One invitation (platform#manage).",
      params: ["id", "invitationId"],
      responses: { 200: "InvitationResponse", ...problems(400, 401, 403, 404) },
    },
    delete: {
      summary: "Revoke a pending invitation; 409 when accepted or expired (platform#manage).",
      params: ["id", "invitationId"],
      responses: { 204: null, ...problems(400, 401, 403, 404, 409) },
    },
  },
  "/v1/audit/entries": {
    get: {
      summary:
        "Ours, beyond the plexsphere v1 contract: the audit trail, newest first (platform#manage). Filters: cloud_id, actor_id, action, since, until.",
      ours: true,
      params: ["limit", "cursor", "cloud_id", "actor_id", "action", "since", "until"],
      responses: { 200: "AuditEntryList", ...problems(400, 401, 403) },
    },
  },
  ...auditChainOperations("/v1/domains/{domain_id}/audit", ["domain_id_path"], "the Domain's", [404]),
  ...auditChainOperations("/v1/platform/audit", [], "the platform's", []),
  "/v1/platform/audit/verify": {
    post: {
      summary:
        "Recompute the platform's audit chain, which is the Domain's one chain here (platform#manage); tampering is 200 with ok=false, never a 5xx.",
      request: "AuditChainVerifyRequest",
      optionalBody: true,
      responses: { 200: "AuditChainVerifyResult", ...problems(400, 401, 403, 413, 415) },
    },
  },
  "/v1/projects": {
    post: {
      summary: "Create a Project (platform#manage).",
      request: "ProjectCreateRequest",
      responses: { 201: "ProjectResponse", ...problems(400, 401, 403, 409, 413, 415) },
    },
    get: {
      summary: "Projects you observe, slug-ordered keyset pages; domain_id scopes the list to one Domain.",
      params: ["limit", "cursor", "domain_id"],
      responses: { 200: "ProjectList", ...problems(400, 401, 403) },
    },
  },
  "/v1/domains": {
    get: {
      summary: "The Domains you belong to: the console's one Domain.",
      params: ["limit", "cursor"],
      responses: { 200: "DomainList", ...problems(400, 401) },
    },
  },
  "/v1/domains/{id}": { get: { summary: "One Domain.", params: ["id"], responses: { 200: "DomainResponse", ...problems(400, 401, 404) } } },
  "/v1/domains/{domainId}/audit/verify": {
    post: {
      summary:
        "Recompute the audit trail's hash chain (platform#manage); tampering is 200 with ok=false and the first divergent seq, never a 5xx.",
      params: ["domainId"],
      request: "AuditChainVerifyRequest",
      optionalBody: true,
      responses: { 200: "AuditChainVerifyResult", ...problems(400, 401, 403, 404, 413, 415) },
    },
  },
  "/v1/projects/{id}": {
    get: {
      summary: "One Project (project#observe).",
      params: ["id"],
      responses: { 200: "ProjectResponse", ...problems(400, 401, 403, 404) },
    },
  },
  "/v1/projects/{id}/credential-assignments": {
    post: {
      summary: "Request a credential for the Project (project#deploy), by cloud_credential_id or by cloud_id.",
      params: ["id"],
      request: "CredentialAssignmentRequest",
      responses: { 201: "CredentialAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
    },
    get: {
      summary: "The Project's assignments, newest first, keyset pages (project#observe).",
      params: ["id", "limit", "cursor"],
      responses: { 200: "CredentialAssignmentList", ...problems(400, 401, 403) },
    },
  },
  "/v1/credential-assignments/{id}/approve": {
    post: {
      summary:
        "Approve a request (cloud#manage on the credential's Cloud, or project#manage; never your own). No " +
        "body is needed; an optional {reason} is recorded. Newer clients use /v1/approvals/{id}/approve.",
      params: ["id"],
      request: "CredentialAssignmentApproveRequest",
      optionalBody: true,
      responses: { 200: "CredentialAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
    },
  },
  "/v1/credential-assignments/{id}/reject": {
    post: {
      summary: "Reject a request (cloud#manage on the credential's Cloud, or project#manage). Newer clients use /v1/approvals/{id}/reject.",
      params: ["id"],
      request: "CredentialAssignmentDecisionRequest",
      responses: { 200: "CredentialAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/credential-assignments/{id}/revoke": {
    post: {
      summary: "Revoke an approved assignment (cloud#manage on the credential's Cloud, or else project#deploy).",
      params: ["id"],
      request: "CredentialAssignmentDecisionRequest",
      responses: { 200: "CredentialAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/clouds/{id}/cloud-assignments": {
    post: {
      summary: "Make the Cloud usable in a Project (cloud#manage).",
      params: ["id"],
      request: "CloudAssignmentGrantRequest",
      responses: { 201: "CloudAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/projects/{id}/cloud-assignments": {
    post: {
      summary: "Ask to use a Cloud in the Project (project#deploy); created requested, decided in /v1/approvals by the Cloud's manager.",
      params: ["id"],
      request: "CloudAssignmentRequestBody",
      responses: { 201: "CloudAssignmentResponse", ...problems(400, 401, 403, 409, 413, 415) },
    },
    get: {
      summary: "The Project's Cloud assignments, every state, newest first, keyset pages (project#observe).",
      params: ["id", "limit", "cursor"],
      responses: { 200: "CloudAssignmentList", ...problems(400, 401, 403) },
    },
  },
  "/v1/cloud-assignments/{id}/revoke": {
    post: {
      summary:
        "Revoke an approved Cloud assignment (cloud#manage, or else project#deploy); the Project's credential assignments of the Cloud go too.",
      params: ["id"],
      request: "CloudAssignmentRevokeRequest",
      responses: { 200: "CloudAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/approvals": {
    get: {
      summary:
        "The approval queue, oldest first: credential and Cloud assignment rows the caller may decide (every " +
        "row for a platform operator); others are left out.",
      params: ["approval_status", "approval_kind", "domain_id", "cloud_id", "cursor", "limit"],
      responses: { 200: "ApprovalList", ...problems(400, 401, 403) },
    },
  },
  "/v1/approvals/{id}": {
    get: {
      summary: "One queue row (its id is the assignment's id), under the list's per-row check.",
      params: ["id"],
      responses: { 200: "Approval", ...problems(400, 401, 403, 404) },
    },
  },
  "/v1/approvals/{id}/approve": {
    post: {
      summary:
        "Approve a waiting row (credential_assignment: cloud#manage on the credential's Cloud or " +
        "project#manage; cloud_assignment: cloud#manage); never your own. No body.",
      params: ["id"],
      responses: { 200: "Approval", ...problems(400, 401, 403, 404, 409, 422) },
    },
  },
  "/v1/approvals/{id}/reject": {
    post: {
      summary: "Reject a waiting row, with a reason the requester sees (the approve gate).",
      params: ["id"],
      request: "RejectApprovalRequest",
      responses: { 200: "Approval", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/approvals/{id}/break-glass": {
    post: {
      summary:
        "Emergency approval of a waiting assignment row by a platform operator (platform#manage), own " +
        "requests included, with a 16-1024 character justification kept in the audit trail.",
      params: ["id"],
      request: "BreakGlassRequest",
      responses: { 200: "Approval", ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
    },
  },
  "/v1/authz/relation-tuples": {
    get: {
      summary: "A Project's membership tuples in grant order, keyset pages (?project_id=, project#observe).",
      params: ["project_id", "limit", "cursor"],
      responses: { 200: "RelationTupleList", ...problems(400, 401, 403) },
    },
    post: {
      summary: "Add a member: user:<id> or group:<id>, manage|deploy on project:<id> (project#manage).",
      params: ["project_id"],
      request: "RelationTupleCreateRequest",
      responses: { 201: "RelationTuple", ...problems(400, 401, 403, 413, 415) },
    },
  },
  "/v1/authz/relation-tuples/{id}": {
    patch: {
      summary: "Replace a member tuple, delete-then-write in one transaction (project#manage); it stays on its Project.",
      params: ["id"],
      request: "RelationTuplePatchRequest",
      responses: { 200: "RelationTuple", ...problems(400, 401, 403, 404, 413, 415) },
    },
    delete: { summary: "Remove a member tuple (project#manage).", params: ["id"], responses: { 204: null, ...problems(401, 403, 404) } },
  },
  "/v1/clouds": {
    post: {
      summary: "Create a Cloud (platform#manage); the creator manages it.",
      request: "CloudCreateRequest",
      responses: { 201: "CloudResponse", ...problems(400, 401, 403, 409, 413, 415) },
    },
    // A list's 403 is cursor_binding_mismatch, which carries the PermissionDenied fields like every 403.
    get: {
      summary: "Clouds you observe, slug-ordered keyset pages.",
      params: ["limit", "cursor"],
      responses: { 200: "CloudList", ...problems(400, 401, 403) },
    },
  },
  "/v1/clouds/{id}": {
    get: { summary: "One Cloud (cloud#observe).", params: ["id"], responses: { 200: "CloudResponse", ...problems(400, 401, 403, 404) } },
    patch: {
      summary: "Rename, replace metadata or set strict_payload_shape (cloud#manage); slug and provider are immutable.",
      params: ["id"],
      request: "CloudPatchRequest",
      responses: { 200: "CloudResponse", ...problems(400, 401, 403, 413, 415) },
    },
    delete: {
      summary: "Delete an empty Cloud (cloud#manage).",
      params: ["id"],
      responses: { 204: null, ...problems(400, 401, 403), 409: "CloudNotEmpty" },
    },
  },
  "/v1/clouds/{id}/cloud-credentials": {
    post: {
      summary:
        "Issue a Cloud Credential (cloud#manage, checked before the body is read). Any 1–4096 bytes; an " +
        "unusual provider shape is a warning header, or 400 invalid_payload on a strict Cloud.",
      params: ["id"],
      request: "CloudCredentialIssueRequest",
      responses: { 201: "CloudCredentialResponse", ...problems(400, 401, 403, 413, 415) },
      headers: { 201: ["Plexsphere-Shape-Warning"] },
    },
    get: {
      summary: "A Cloud's credentials in creation order (cloud#observe).",
      params: ["id", "limit", "cursor"],
      responses: { 200: "CloudCredentialList", ...problems(400, 401, 403) },
    },
  },
  "/v1/clouds/{id}/reminders": {
    get: {
      summary:
        "Ours, beyond the contract: the Cloud's expiry reminder settings, as on its console page " +
        "(cloud#manage: the webhook URL may name an internal endpoint).",
      ours: true,
      params: ["id"],
      responses: { 200: "CloudReminderSettings", ...problems(400, 401, 403, 404) },
    },
    put: {
      summary:
        "Ours, beyond the contract: replace the Cloud's expiry reminder settings (cloud#manage, checked " +
        "before the body is read). The webhook URL must be, and resolve to, a public address (400 " +
        "webhook_url_not_public, webhook_url_unresolvable); the signing secret is write-only. Audited as " +
        "cloud.reminders_update.",
      ours: true,
      params: ["id"],
      request: "CloudReminderSettingsRequest",
      responses: { 200: "CloudReminderSettings", ...problems(400, 401, 403, 404, 413, 415) },
    },
  },
  "/v1/cloud-credentials/{id}": {
    get: {
      summary: "One credential's metadata (cloud#observe on its Cloud).",
      params: ["id"],
      responses: { 200: "CloudCredentialResponse", ...problems(400, 401, 403, 404) },
    },
    patch: {
      summary:
        "Ours, beyond the contract: rename, or move the expiry closer or later up to a year from now (renew) (cloud#manage); the secret is not touched.",
      ours: true,
      params: ["id"],
      request: "CloudCredentialPatchRequest",
      responses: { 200: "CloudCredentialResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/cloud-credentials/{id}/validate": {
    post: {
      summary:
        "Ours, beyond the contract: test the stored material, held by the engine and shaped like the provider's credentials (cloud#manage).",
      ours: true,
      params: ["id"],
      responses: { 200: "CloudCredentialValidation", ...problems(400, 401, 403, 404) },
    },
  },
  "/v1/cloud-credentials/{id}/rotate": {
    post: {
      summary:
        "Ours, beyond the contract: new material as the next version, if expected_version is current, " +
        "optionally with a later expiry (cloud#manage, checked before the body is read).",
      ours: true,
      params: ["id"],
      request: "CloudCredentialRotateRequest",
      responses: { 200: "CloudCredentialResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
      headers: { 200: ["Plexsphere-Shape-Warning"] },
    },
  },
  "/v1/cloud-credentials/{id}/revoke": {
    post: {
      summary: "Revoke (idempotent; soft-deletes the secret).",
      params: ["id"],
      request: "CloudCredentialRevokeRequest",
      responses: { 200: "CloudCredentialResponse", ...problems(400, 401, 403, 404, 413, 415) },
    },
  },
  "/v1/cloud-credentials/{id}/clouds": {
    get: {
      summary:
        "The Clouds the credential serves: its home Cloud and every attached usage Cloud, by cloud_id (cloud#observe on the home Cloud).",
      params: ["id", "cursor", "limit"],
      responses: { 200: "CloudCredentialCloudList", 403: "Problem", ...problems(400, 401, 404) },
    },
    post: {
      summary:
        "Attach a usage Cloud (cloud#manage on the home Cloud, before the body is read, and on the named " +
        "Cloud). Idempotent 201; a revoked credential is 409 cloud_credential_revoked; an unknown Cloud is " +
        "404 cloud_not_found.",
      params: ["id"],
      request: "CloudCredentialAttachRequest",
      responses: { 201: "CloudUsageRef", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/cloud-credentials/{id}/clouds/{cloud_id}": {
    delete: {
      summary:
        "Detach a usage Cloud (cloud#manage on the home Cloud or on the usage Cloud). Idempotent 204; the home Cloud is 409 cannot_detach_home_cloud.",
      params: ["id", "cloud_id_path"],
      responses: { 204: null, ...problems(400, 401, 403, 404, 409) },
    },
  },
};

/**
 * The chain reads and erase-identity under one address (a Domain's, or the
 * platform's): the console keeps one chain, so both serve it (lib/audit/chain-read.ts).
 */
function auditChainOperations(
  base: string,
  params: (keyof typeof parameters)[],
  whose: string,
  notFound: number[],
): Record<string, Record<string, Op>> {
  return {
    [`${base}/entries`]: {
      get: {
        summary:
          `${whose} audit chain in seq order (auditor: platform#manage). Filters: subject (64-hex pseudonym), ` +
          `relation, object_type, object_id, reason, from/to (RFC 3339, inclusive), correlation_id; a cursor from ` +
          `another chain is 400 invalid_cursor, a bad filter 400 invalid_filter.`,
        params: [
          ...params,
          "cursor",
          "limit",
          "subject",
          "relation",
          "object_type",
          "object_id",
          "chain_reason",
          "from",
          "to",
          "correlation_id",
        ],
        responses: { 200: "AuditChainEntryList", ...problems(400, 401, 403, ...notFound) },
      },
    },
    [`${base}/entries/{seq}`]: {
      get: {
        summary:
          `One entry of ${whose} chain with its proof: entry_hash = sha256(prev_hash || ` +
          `sha256(canonical_bytes)). 404 for a missing seq and for a caller who may not read the chain (there is no 403).`,
        params: [...params, "seq"],
        responses: { 200: "AuditChainEntryProof", ...problems(400, 401, 404) },
      },
    },
    [`${base}/erase-identity`]: {
      post: {
        summary:
          "Erase an identity's PII mapping (platform#manage). Not provisioned here: entries record their actor " +
          "under their MAC and chain hash, and no mapping exists to drop without breaking the chain, so the " +
          "answer is 501 audit_not_provisioned.",
        params,
        request: "AuditEraseIdentityRequest",
        responses: { ...problems(400, 401, 403, ...notFound, 413, 415, 501) },
      },
    },
  };
}

function schemaFor(name: string) {
  if (name === "object") return { type: "object", additionalProperties: true };
  if (name.startsWith("array:")) return { type: "array", items: ref(name.slice(6)) };
  return ref(name);
}

export function openApiDocument() {
  // Touch the module so every schema has registered its id before the registry is read.
  void schemas;
  const { schemas: generated } = z.toJSONSchema(z.globalRegistry, {
    target: "draft-2020-12",
    uri: (id) => `#/components/schemas/${id}`,
    // The only custom schemas are the free-form JSON objects (schemas.ts); say so in JSON Schema.
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "custom") Object.assign(ctx.jsonSchema, { type: "object", additionalProperties: true });
    },
  });
  // Components are fragments of one document, not standalone schemas.
  const components = Object.fromEntries(
    Object.entries(generated).map(([id, schema]) => [
      id,
      Object.fromEntries(Object.entries(schema as Record<string, unknown>).filter(([key]) => key !== "$id" && key !== "$schema")),
    ]),
  );
  const paths = Object.fromEntries(
    Object.entries(operations).map(([path, methods]) => [
      path,
      Object.fromEntries(
        Object.entries(methods).map(([method, op]) => [
          method,
          {
            summary: op.summary,
            ...(op.public ? { security: [] } : {}),
            ...(op.ours ? { "x-plexsphere-beyond-contract": true } : {}),
            ...(op.params ? { parameters: op.params.map((p) => parameters[p]) } : {}),
            ...(op.request
              ? { requestBody: { required: !op.optionalBody, content: { "application/json": { schema: ref(op.request) } } } }
              : {}),
            responses: Object.fromEntries(
              Object.entries(op.responses).map(([status, name]) => [
                status,
                name === null
                  ? { description: "No content." }
                  : {
                      description: Number(status) < 400 ? "Success." : "Problem details.",
                      ...responseHeadersFor(op, Number(status)),
                      content: { [Number(status) < 400 ? "application/json" : "application/problem+json"]: { schema: schemaFor(name) } },
                    },
              ]),
            ),
          },
        ]),
      ),
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "plexsphere console API",
      version: "v1",
      description:
        "Catalog subset of the plexsphere v1 contract (and its tenancy Domain reads), as this console serves " +
        "it. Generated from the server's zod schemas. Operations marked x-plexsphere-beyond-contract are " +
        "ours alone.",
    },
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An API token (psk_<env>_…) from Settings → API tokens or POST /v1/auth/tokens.",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description:
            "The console's session; writes also need the X-Plexsphere-CSRF header repeating the plexsphere_csrf cookie, from the console's origin.",
        },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
