import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import createClient, { type Middleware } from "openapi-fetch";
import YAML from "yaml";
import { loadContract } from "./conformance";

/**
 * The newer plexsphere v1 operations we serve (Python SDK 50f9aff): the
 * approval queue and the Cloud assignment lifecycle, driven with an
 * openapi-fetch client typed from contract/newer/approvals.yaml (by hand
 * below, until the runner generates types from the newer fragments), every
 * answer checked against that fragment; the June grant is also checked
 * against the June catalog subset, and the fragment's CloudAssignmentResponse.
 * Started like contract.test.ts: CONTRACT_BASE_URL and CONTRACT_DIR.
 */
const baseUrl = process.env.CONTRACT_BASE_URL!;
const june = loadContract(process.env.CONTRACT_DIR!);
const fragment = YAML.parse(readFileSync(path.join(import.meta.dirname, "newer", "approvals.yaml"), "utf8"));

type Problem = { type: string; title: string; status: number; detail: string; instance: string; correlation_id: string; code?: string };
type Approval = {
  id: string;
  kind: "approval" | "credential_assignment" | "cloud_assignment";
  domain_id: string;
  proposer_subject: string;
  action_kind: string;
  target_resource: string;
  state: "proposed" | "pending-approval" | "approved" | "rejected" | "expired" | "revoked";
  created_at: string;
  project_id?: string;
  materialised?: boolean;
  decided_at?: string;
  decided_by_subject?: string;
  decision_reason?: string;
};
type CloudAssignment = {
  id: string;
  project_id: string;
  cloud_id: string;
  state: string;
  materialised: boolean;
  created_at: string;
  updated_at: string;
};
type Json<T> = { headers: Record<string, unknown>; content: { "application/json": T } };
type Failure = { headers: Record<string, unknown>; content: { "application/problem+json": Problem } };
type Failures = { 400: Failure; 401: Failure; 403: Failure; 404: Failure; 409: Failure; 413: Failure; 500: Failure };
type ById = { path: { id: string }; query?: never; header?: never; cookie?: never };
type Reason = { content: { "application/json": { reason: string } } };

interface NewerPaths {
  "/v1/approvals": {
    get: {
      parameters: {
        query?: {
          status?: Approval["state"];
          kind?: Approval["kind"];
          domain_id?: string;
          cloud_id?: string;
          cursor?: string;
          limit?: number;
        };
      };
      responses: { 200: Json<{ items: Approval[]; next_cursor?: string }> } & Failures;
    };
  };
  "/v1/approvals/{id}": { get: { parameters: ById; responses: { 200: Json<Approval> } & Failures } };
  "/v1/approvals/{id}/approve": { post: { parameters: ById; responses: { 200: Json<Approval> } & Failures } };
  "/v1/approvals/{id}/reject": { post: { parameters: ById; requestBody: Reason; responses: { 200: Json<Approval> } & Failures } };
  "/v1/approvals/{id}/break-glass": { post: { parameters: ById; requestBody: Reason; responses: { 200: Json<Approval> } & Failures } };
  "/v1/projects/{id}/cloud-assignments": {
    post: {
      parameters: ById;
      requestBody: { content: { "application/json": { cloud_id: string } } };
      responses: { 201: Json<CloudAssignment> } & Failures;
    };
    get: { parameters: ById; responses: { 200: Json<{ items: CloudAssignment[]; next_cursor?: string }> } & Failures };
  };
  "/v1/cloud-assignments/{id}/revoke": {
    post: { parameters: ById; requestBody: Reason; responses: { 200: Json<CloudAssignment> } & Failures };
  };
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema({ ...fragment, $id: "newer" });
const exercised = new Set<string>();

function checkNewer(method: string, template: string, status: number, headers: Headers, body: unknown) {
  const operation = fragment.paths[template]?.[method];
  assert.ok(operation, `${method.toUpperCase()} ${template} is not in contract/newer/approvals.yaml`);
  const declared = operation.responses[String(status)];
  assert.ok(declared, `${method.toUpperCase()} ${template}: the newer contract declares no ${status}`);
  const response = declared.$ref ? fragment.components.responses[declared.$ref.split("/").pop()] : declared;
  assert.equal(headers.has("location"), false, `${method.toUpperCase()} ${template}: no Location is declared`);
  const media = (headers.get("content-type") ?? "").split(";")[0].trim();
  const content = response.content[media];
  assert.ok(content, `${method.toUpperCase()} ${template} → ${status}: ${media} is not declared`);
  const validate = ajv.compile({ $ref: `newer#/components/schemas/${content.schema.$ref.split("/").pop()}` });
  assert.ok(validate(body), `${method.toUpperCase()} ${template} → ${status}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`);
}

function validateShape(name: string, body: unknown) {
  const validate = ajv.compile({ $ref: `newer#/components/schemas/${name}` });
  assert.ok(validate(body), `${name}: ${JSON.stringify(validate.errors)}`);
}

const newerMiddleware: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const method = request.method.toLowerCase();
    const text = await response.clone().text();
    checkNewer(method, schemaPath, response.status, response.headers, text.length === 0 ? undefined : JSON.parse(text));
    exercised.add(`${method.toUpperCase()} ${schemaPath}`);
    return undefined;
  },
};

function newer(headers: Record<string, string>) {
  const client = createClient<NewerPaths>({ baseUrl, headers });
  client.use(newerMiddleware);
  return client;
}

/** A bearer token for one of the demo cast, minted through the console's cookie door (as contract.test.ts does). */
async function tokenFor(email: string): Promise<{ id: string; headers: Record<string, string> }> {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(`${baseUrl}${url}`, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const line of response.headers.getSetCookie()) {
      const [name, ...value] = line.split(";")[0].split("=");
      jar.set(name.trim(), value.join("="));
    }
    return response;
  };
  const { csrfToken } = await (await send("/api/auth/csrf")).json();
  await send("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password: "password", json: "true" }).toString(),
  });
  const whoami = await (await send("/v1/auth/whoami")).json();
  const issued = await send("/v1/auth/tokens", {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(baseUrl).origin, "X-Plexsphere-CSRF": jar.get("plexsphere_csrf") ?? "" },
    body: JSON.stringify({ identity_ref: `user:${whoami.subject}`, env_prefix: "dev" }),
  });
  assert.equal(issued.status, 201);
  return { id: whoami.subject, headers: { authorization: `Bearer ${(await issued.json()).plaintext}` } };
}

const people = {} as Record<"operator" | "owner" | "viewer", { id: string; headers: Record<string, string> }>;
before(async () => {
  people.operator = await tokenFor("operator@example.com");
  people.owner = await tokenFor("owner@example.com");
  people.viewer = await tokenFor("viewer@example.com");
});

/** A plain JSON call for the June operations this suite needs as givens. */
async function call(who: keyof typeof people, method: string, url: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { ...people[who].headers, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { response, body: response.status === 204 ? undefined : await response.json() };
}

test("a Project asks for a Cloud, its manager decides in the queue, break-glass and revoke: every answer as the newer contract says", async () => {
  const operator = newer(people.operator.headers);
  const viewer = newer(people.viewer.headers);
  const domainId = (await call("operator", "GET", "/v1/auth/whoami")).body.domain_id;
  const project = (await call("operator", "POST", "/v1/projects", { domain_id: domainId, name: "Newer", slug: `newer-${Date.now()}` }))
    .body;
  for (const [who, relation] of [
    ["viewer", "deploy"],
    ["operator", "deploy"],
  ] as const)
    await call("operator", "POST", `/v1/authz/relation-tuples?project_id=${project.id}`, {
      subject: `user:${people[who].id}`,
      relation,
      resource: `project:${project.id}`,
    });
  const cloud = async (slug: string) =>
    (
      await call("operator", "POST", "/v1/clouds", {
        display_name: slug,
        slug,
        provider: "aws",
        endpoint: {},
        region_defaults: {},
        external_id: slug,
      })
    ).body;
  const asked = await cloud(`asked-${Date.now()}`);
  const granted = await cloud(`granted-${Date.now()}`);

  // June's grant, read both ways: the June subset's operation and the newer CloudAssignmentResponse.
  const grant = async () => call("operator", "POST", `/v1/clouds/${granted.id}/cloud-assignments`, { project_id: project.id });
  const first = await grant();
  june.check("post", "/v1/clouds/{id}/cloud-assignments", first.response.status, first.response.headers, first.body);
  validateShape("CloudAssignmentResponse", first.body);
  assert.equal(first.body.state, "approved");
  const twice = await grant();
  june.check("post", "/v1/clouds/{id}/cloud-assignments", twice.response.status, twice.response.headers, twice.body);
  assert.equal(twice.body.code, "duplicate_live_cloud_assignment");

  const id = { params: { path: { id: project.id } } };
  const request = await viewer.POST("/v1/projects/{id}/cloud-assignments", { ...id, body: { cloud_id: asked.id } });
  assert.equal(request.data?.state, "requested", JSON.stringify(request.error));
  const duplicate = await viewer.POST("/v1/projects/{id}/cloud-assignments", { ...id, body: { cloud_id: asked.id } });
  assert.equal(duplicate.error?.code, "duplicate_live_cloud_assignment");
  const listed = await viewer.GET("/v1/projects/{id}/cloud-assignments", id);
  assert.equal(listed.data?.items.length, 2);

  const queue = await operator.GET("/v1/approvals", { params: { query: { cloud_id: asked.id, status: "pending-approval" } } });
  assert.deepEqual(
    queue.data?.items.map((a) => [a.id, a.kind, a.state]),
    [[request.data!.id, "cloud_assignment", "pending-approval"]],
  );
  assert.equal((await operator.GET("/v1/approvals", { params: { query: { kind: "approval" } } })).data?.items.length, 0);
  const row = { params: { path: { id: request.data!.id } } };
  assert.equal((await operator.GET("/v1/approvals/{id}", row)).data?.target_resource, `cloud:${asked.id}`);
  assert.equal((await viewer.POST("/v1/approvals/{id}/approve", row)).response.status, 403);
  const approved = await operator.POST("/v1/approvals/{id}/approve", row);
  assert.equal(approved.data?.state, "approved", JSON.stringify(approved.error));
  assert.equal((await operator.POST("/v1/approvals/{id}/reject", { ...row, body: { reason: "late" } })).error?.code, "illegal_transition");

  // The operator's own request: self-approval refused, break-glass accepted (our deviation), with its justification.
  const third = await cloud(`glass-${Date.now()}`);
  const own = await operator.POST("/v1/projects/{id}/cloud-assignments", { ...id, body: { cloud_id: third.id } });
  const ownRow = { params: { path: { id: own.data!.id } } };
  assert.equal((await operator.POST("/v1/approvals/{id}/approve", ownRow)).error?.code, "self_approval_denied");
  const short = await operator.POST("/v1/approvals/{id}/break-glass", { ...ownRow, body: { reason: "short" } });
  assert.equal(short.error?.code, "invalid_break_glass_reason");
  const glassed = await operator.POST("/v1/approvals/{id}/break-glass", {
    ...ownRow,
    body: { reason: "Incident: the second approver is away" },
  });
  assert.equal(glassed.data?.state, "approved", JSON.stringify(glassed.error));

  const revoke = await viewer.POST("/v1/cloud-assignments/{id}/revoke", {
    params: { path: { id: first.body.id } },
    body: { reason: "done" },
  });
  assert.equal(revoke.data?.state, "revoked", JSON.stringify(revoke.error));
  const again = await viewer.POST("/v1/cloud-assignments/{id}/revoke", {
    params: { path: { id: first.body.id } },
    body: { reason: "done" },
  });
  assert.equal(again.error?.code, "illegal_transition");
});

test("a credential request decided in the queue; June's approve path still answers", async () => {
  const owner = newer(people.owner.headers);
  const domainId = (await call("operator", "GET", "/v1/auth/whoami")).body.domain_id;
  const project = (await call("operator", "POST", "/v1/projects", { domain_id: domainId, name: "Queue", slug: `queue-${Date.now()}` }))
    .body;
  for (const [who, relation] of [
    ["owner", "manage"],
    ["viewer", "deploy"],
  ] as const)
    await call("operator", "POST", `/v1/authz/relation-tuples?project_id=${project.id}`, {
      subject: `user:${people[who].id}`,
      relation,
      resource: `project:${project.id}`,
    });
  const slug = `queue-${Date.now()}`;
  const cloud = (
    await call("operator", "POST", "/v1/clouds", {
      display_name: slug,
      slug,
      provider: "aws",
      endpoint: {},
      region_defaults: {},
      external_id: slug,
    })
  ).body;
  await call("operator", "POST", `/v1/clouds/${cloud.id}/cloud-assignments`, { project_id: project.id });
  await call("operator", "POST", `/v1/clouds/${cloud.id}/cloud-credentials`, {
    display_name: "queued",
    payload: Buffer.from("x").toString("base64"),
    allow_unusual_shape: true,
  });
  const ask = () => call("viewer", "POST", `/v1/projects/${project.id}/credential-assignments`, { cloud_id: cloud.id });
  const first = (await ask()).body;
  const rejected = await owner.POST("/v1/approvals/{id}/reject", { params: { path: { id: first.id } }, body: { reason: "not this one" } });
  assert.equal(rejected.data?.state, "rejected", JSON.stringify(rejected.error));
  assert.equal(rejected.data?.decision_reason, "not this one");
  const second = (await ask()).body;
  const juneApprove = await call("owner", "POST", `/v1/credential-assignments/${second.id}/approve`);
  june.check(
    "post",
    "/v1/credential-assignments/{id}/approve",
    juneApprove.response.status,
    juneApprove.response.headers,
    juneApprove.body,
  );
  assert.equal(juneApprove.body.state, "approved");
  assert.equal((await owner.GET("/v1/approvals/{id}", { params: { path: { id: second.id } } })).data?.state, "approved");
});

test("every newer operation in contract/newer/approvals.yaml was called", () => {
  const declared = Object.entries(fragment.paths as Record<string, Record<string, unknown>>).flatMap(([template, methods]) =>
    Object.keys(methods)
      .filter((m) => m !== "parameters")
      .map((m) => `${m.toUpperCase()} ${template}`),
  );
  assert.deepEqual(
    declared.filter((op) => !exercised.has(op)),
    [],
  );
});
