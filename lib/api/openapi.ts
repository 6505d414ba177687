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
};

const parameters = {
  id: { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
  limit: { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
  cursor: { name: "cursor", in: "query", required: false, schema: { type: "string" } },
  project_id: { name: "project_id", in: "query", required: true, schema: { type: "string", format: "uuid" } },
  domain_id: { name: "domain_id", in: "query", required: false, schema: { type: "string", format: "uuid" } },
  cloud_id: { name: "cloud_id", in: "query", required: false, schema: { type: "string", format: "uuid" } },
  actor_id: { name: "actor_id", in: "query", required: false, schema: { type: "string", format: "uuid" } },
  action: { name: "action", in: "query", required: false, schema: { type: "string" } },
  since: { name: "since", in: "query", required: false, schema: { type: "string", description: "RFC 3339 time or date" } },
  until: { name: "until", in: "query", required: false, schema: { type: "string", description: "RFC 3339 time or date" } },
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, s === 403 ? "PermissionDenied" : "Problem"]));
const listOf = (id: string) => `array:${id}`;

export const operations: Record<string, Record<string, Op>> = {
  "/v1/health": { get: { summary: "Process health and sub-component checks.", public: true, responses: { 200: "HealthStatus", 503: "HealthStatus" } } },
  "/v1/openapi.json": { get: { summary: "This document.", public: true, responses: { 200: "object" } } },
  "/v1/auth/whoami": {
    get: { summary: "The authenticated principal.", responses: { 200: "Whoami", ...problems(401) } },
    delete: { summary: "Sign out: ends the session on the server and clears its cookie; always 204.", public: true, responses: { 204: null } },
  },
  // RFC 8628 device authorization for plexctl login (lib/auth/device.ts).
  "/v1/auth/device-code": { post: { summary: "Start a device login: codes for the CLI and the person.", public: true, request: "DeviceCodeRequest", responses: { 200: "DeviceCodeResponse", ...problems(400, 413, 415) } } },
  "/v1/auth/device-token": {
    post: { summary: "Poll a device login; 400 code authorization_pending, slow_down, access_denied, expired_token or invalid_grant until approved.", public: true, request: "DeviceTokenRequest", responses: { 200: "ServiceTokenResponse", ...problems(400, 413, 415) } },
  },
  "/v1/auth/device/approve": {
    post: { summary: "Approve a device login by its user_code, as the signed-in caller.", request: "DeviceApproveRequest", responses: { 200: "DeviceApproveResponse", 403: "Problem", ...problems(400, 401, 404, 409, 413, 415) } },
  },
  "/v1/auth/tokens": {
    post: { summary: "Issue an API token for yourself; the plaintext is returned once.", request: "APITokenIssueRequest", responses: { 201: "APITokenIssueResponse", ...problems(400, 401, 403, 413, 415) } },
    get: { summary: "Your live API tokens (no plaintext).", responses: { 200: listOf("APITokenSummary"), ...problems(401) } },
  },
  "/v1/auth/tokens/{id}": { delete: { summary: "Revoke an API token at once.", params: ["id"], responses: { 204: null, ...problems(401, 404) } } },
  "/v1/auth/tokens/{id}/rotate": {
    post: { summary: "Rotate an API token; the old plaintext works until the Sunset header.", params: ["id"], responses: { 200: "APITokenRotateResponse", ...problems(401, 404) } },
  },
  "/v1/authz/check": {
    post: {
      summary: "May subject (user:<id>, anyone's) do relation on resource (project:, cloud:, platform:plexsphere)? A denial is data, never a 403.",
      request: "RebacCheckRequest",
      responses: { 200: "RebacCheckResponse", ...problems(400, 401, 413, 415) },
    },
  },
  "/v1/audit/entries": {
    get: {
      summary: "Ours, beyond the plexsphere v1 contract: the audit trail, newest first (platform#manage). Filters: cloud_id, actor_id, action, since, until.",
      ours: true,
      params: ["limit", "cursor", "cloud_id", "actor_id", "action", "since", "until"],
      responses: { 200: "AuditEntryList", ...problems(400, 401, 403) },
    },
  },
  "/v1/projects": {
    post: { summary: "Create a Project (platform#manage).", request: "ProjectCreateRequest", responses: { 201: "ProjectResponse", ...problems(400, 401, 403, 409, 413, 415) } },
    get: { summary: "Projects you observe, slug-ordered keyset pages; domain_id scopes the list to one Domain.", params: ["limit", "cursor", "domain_id"], responses: { 200: "ProjectList", ...problems(400, 401, 403) } },
  },
  "/v1/domains": {
    get: { summary: "The Domains you belong to: the console's one Domain.", params: ["limit", "cursor"], responses: { 200: "DomainList", ...problems(400, 401) } },
  },
  "/v1/domains/{id}": { get: { summary: "One Domain.", params: ["id"], responses: { 200: "DomainResponse", ...problems(400, 401, 404) } } },
  "/v1/projects/{id}": { get: { summary: "One Project (project#observe).", params: ["id"], responses: { 200: "ProjectResponse", ...problems(400, 401, 403, 404) } } },
  "/v1/projects/{id}/credential-assignments": {
    post: {
      summary: "Request a credential for the Project (project#deploy), by cloud_credential_id or by cloud_id.",
      params: ["id"],
      request: "CredentialAssignmentRequest",
      responses: { 201: "CredentialAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
    },
    get: { summary: "The Project's assignments, newest first, keyset pages (project#observe).", params: ["id", "limit", "cursor"], responses: { 200: "CredentialAssignmentList", ...problems(400, 401, 403) } },
  },
  "/v1/credential-assignments/{id}/approve": {
    post: {
      summary: "Approve a request (project#manage; never your own). No body is needed; an optional {reason} is recorded.",
      params: ["id"],
      request: "CredentialAssignmentApproveRequest",
      optionalBody: true,
      responses: { 200: "CredentialAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
    },
  },
  "/v1/credential-assignments/{id}/reject": {
    post: { summary: "Reject a request (project#manage).", params: ["id"], request: "CredentialAssignmentDecisionRequest", responses: { 200: "CredentialAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415) } },
  },
  "/v1/credential-assignments/{id}/revoke": {
    post: { summary: "Revoke an approved assignment (project#manage).", params: ["id"], request: "CredentialAssignmentDecisionRequest", responses: { 200: "CredentialAssignmentResponse", ...problems(400, 401, 403, 404, 409, 413, 415) } },
  },
  "/v1/clouds/{id}/cloud-assignments": {
    post: { summary: "Make the Cloud usable in a Project (cloud#manage).", params: ["id"], request: "CloudAssignmentGrantRequest", responses: { 201: "CloudAssignmentResponse", ...problems(400, 401, 403, 404, 413, 415) } },
  },
  "/v1/authz/relation-tuples": {
    get: { summary: "A Project's membership tuples (?project_id=, project#observe).", params: ["project_id"], responses: { 200: "RelationTupleList", ...problems(400, 401, 403) } },
    post: { summary: "Add a member: user:<id> manage|deploy on project:<id> (project#manage).", params: ["project_id"], request: "RelationTupleCreateRequest", responses: { 201: "RelationTuple", ...problems(400, 401, 403, 413, 415) } },
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
    post: { summary: "Create a Cloud (platform#manage); the creator manages it.", request: "CloudCreateRequest", responses: { 201: "CloudResponse", ...problems(400, 401, 403, 409, 413, 415) } },
    // A list's 403 is cursor_binding_mismatch, which carries the PermissionDenied fields like every 403.
    get: { summary: "Clouds you observe, slug-ordered keyset pages.", params: ["limit", "cursor"], responses: { 200: "CloudList", ...problems(400, 401, 403) } },
  },
  "/v1/clouds/{id}": {
    get: { summary: "One Cloud (cloud#observe).", params: ["id"], responses: { 200: "CloudResponse", ...problems(400, 401, 403, 404) } },
    patch: { summary: "Rename or replace metadata (cloud#manage); slug and provider are immutable.", params: ["id"], request: "CloudPatchRequest", responses: { 200: "CloudResponse", ...problems(400, 401, 403, 413, 415) } },
    delete: { summary: "Delete an empty Cloud (cloud#manage).", params: ["id"], responses: { 204: null, ...problems(400, 401, 403), 409: "CloudNotEmpty" } },
  },
  "/v1/clouds/{id}/cloud-credentials": {
    post: { summary: "Issue a Cloud Credential (cloud#manage, checked before the body is read).", params: ["id"], request: "CloudCredentialIssueRequest", responses: { 201: "CloudCredentialResponse", ...problems(400, 401, 403, 413, 415) } },
    get: { summary: "A Cloud's credentials in creation order (cloud#observe).", params: ["id", "limit", "cursor"], responses: { 200: "CloudCredentialList", ...problems(400, 401, 403) } },
  },
  "/v1/cloud-credentials/{id}": {
    get: { summary: "One credential's metadata (cloud#observe on its Cloud).", params: ["id"], responses: { 200: "CloudCredentialResponse", ...problems(400, 401, 403, 404) } },
    patch: {
      summary: "Ours, beyond the contract: rename, or bring the expiry closer (cloud#manage); the secret is not touched.",
      ours: true,
      params: ["id"],
      request: "CloudCredentialPatchRequest",
      responses: { 200: "CloudCredentialResponse", ...problems(400, 401, 403, 404, 413, 415) },
    },
  },
  "/v1/cloud-credentials/{id}/validate": {
    post: {
      summary: "Ours, beyond the contract: test the stored material, held by the engine and shaped like the provider's credentials (cloud#manage).",
      ours: true,
      params: ["id"],
      responses: { 200: "CloudCredentialValidation", ...problems(400, 401, 403, 404) },
    },
  },
  "/v1/cloud-credentials/{id}/rotate": {
    post: {
      summary: "Ours, beyond the contract: new material as the next version, if expected_version is current (cloud#manage, checked before the body is read).",
      ours: true,
      params: ["id"],
      request: "CloudCredentialRotateRequest",
      responses: { 200: "CloudCredentialResponse", ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  "/v1/cloud-credentials/{id}/revoke": {
    post: { summary: "Revoke (idempotent; soft-deletes the secret).", params: ["id"], request: "CloudCredentialRevokeRequest", responses: { 200: "CloudCredentialResponse", ...problems(400, 401, 403, 404, 413, 415) } },
  },
};

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
            ...(op.request ? { requestBody: { required: !op.optionalBody, content: { "application/json": { schema: ref(op.request) } } } } : {}),
            responses: Object.fromEntries(
              Object.entries(op.responses).map(([status, name]) => [
                status,
                name === null
                  ? { description: "No content." }
                  : {
                      description: Number(status) < 400 ? "Success." : "Problem details.",
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
        "Catalog subset of the plexsphere v1 contract (and its tenancy Domain reads), as this console serves it. Generated from the server's zod schemas. Operations marked x-plexsphere-beyond-contract are ours alone.",
    },
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (psk_<env>_…) from Settings → API tokens or POST /v1/auth/tokens." },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The console's session; writes also need the X-Plexsphere-CSRF header repeating the plexsphere_csrf cookie, from the console's origin." },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
