import { writeFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { cast, expect, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, csrfHeaders, demoCaller, type Caller } from "./callers";
import { missingSecurityHeaders, problemDefect, runPool, sendRaw, type RawRequest } from "./hostile";

/**
 * A generated corpus of malformed requests against every /v1 route: bad
 * paths, queries, headers, bodies and methods, as a bearer caller, a cookie
 * caller and an anonymous one. Whatever arrives, the answer is never a 5xx,
 * every error is an RFC 9457 problem with a stable code, and every answer
 * carries the security headers.
 */

type Ids = Record<
  | "cloud"
  | "credential"
  | "revokable"
  | "project"
  | "approve"
  | "reject"
  | "revokeAssignment"
  | "cloudAssignment"
  | "token"
  | "tuple"
  | "user",
  string
>;
type Who = "bearer" | "cookie" | "anonymous";

interface Route {
  path: (ids: Ids) => string;
  template: string;
  methods: string[];
  /** A valid body for each writing method, the base the body mutations start from. */
  body?: (ids: Ids) => Record<string, unknown>;
  /** Query parameters the route reads, with a valid value. */
  query?: (ids: Ids) => Record<string, string>;
  list?: boolean;
}

const DOMAIN = "00000000-0000-7000-8000-000000000001";
const routes: Route[] = [
  { template: "/v1/health", path: () => "/v1/health", methods: ["GET"] },
  { template: "/v1/openapi.json", path: () => "/v1/openapi.json", methods: ["GET"] },
  { template: "/v1/auth/whoami", path: () => "/v1/auth/whoami", methods: ["GET"] },
  {
    template: "/v1/auth/tokens",
    path: () => "/v1/auth/tokens",
    methods: ["GET", "POST"],
    body: (ids) => ({ identity_ref: `user:${ids.user}`, env_prefix: "dev", ttl_seconds: 3600 }),
  },
  { template: "/v1/auth/tokens/{id}", path: (ids) => `/v1/auth/tokens/${ids.token}`, methods: ["DELETE"] },
  { template: "/v1/auth/tokens/{id}/rotate", path: (ids) => `/v1/auth/tokens/${ids.token}/rotate`, methods: ["POST"] },
  {
    template: "/v1/authz/check",
    path: () => "/v1/authz/check",
    methods: ["POST"],
    body: (ids) => ({ subject: `user:${ids.user}`, relation: "manage", resource: `cloud:${ids.cloud}` }),
  },
  {
    template: "/v1/authz/relation-tuples",
    path: () => "/v1/authz/relation-tuples",
    methods: ["GET", "POST"],
    query: (ids) => ({ project_id: ids.project }),
    body: (ids) => ({ subject: `user:${ids.user}`, relation: "deploy", resource: `project:${ids.project}` }),
  },
  { template: "/v1/authz/relation-tuples/{id}", path: (ids) => `/v1/authz/relation-tuples/${ids.tuple}`, methods: ["DELETE"] },
  { template: "/v1/clouds", path: () => "/v1/clouds", methods: ["GET", "POST"], list: true, body: () => cloudBody(uniqueSlug("hostile")) },
  {
    template: "/v1/clouds/{id}",
    path: (ids) => `/v1/clouds/${ids.cloud}`,
    methods: ["GET", "PATCH", "DELETE"],
    body: () => ({ display_name: "Hostile", endpoint: { url: "https://a.example" }, region_defaults: { region: "eu-west-1" } }),
  },
  {
    template: "/v1/clouds/{id}/cloud-credentials",
    path: (ids) => `/v1/clouds/${ids.cloud}/cloud-credentials`,
    methods: ["GET", "POST"],
    list: true,
    body: () => ({ display_name: "hostile", payload: b64("secret"), allow_unusual_shape: true, key_values: { role: "r" } }),
  },
  {
    template: "/v1/clouds/{id}/cloud-assignments",
    path: (ids) => `/v1/clouds/${ids.cloud}/cloud-assignments`,
    methods: ["POST"],
    body: (ids) => ({ project_id: ids.project }),
  },
  {
    template: "/v1/cloud-credentials/{id}",
    path: (ids) => `/v1/cloud-credentials/${ids.credential}`,
    methods: ["GET", "PATCH"],
    body: () => ({ display_name: "renamed", expires_at: new Date(Date.now() + 86_400_000).toISOString() }),
  },
  {
    template: "/v1/cloud-credentials/{id}/revoke",
    path: (ids) => `/v1/cloud-credentials/${ids.revokable}/revoke`,
    methods: ["POST"],
    body: () => ({ reason: "hostile" }),
  },
  {
    template: "/v1/cloud-credentials/{id}/rotate",
    path: (ids) => `/v1/cloud-credentials/${ids.credential}/rotate`,
    methods: ["POST"],
    body: () => ({ expected_version: 99, payload: b64("next"), allow_unusual_shape: true, key_values: { role: "r" } }),
  },
  { template: "/v1/cloud-credentials/{id}/validate", path: (ids) => `/v1/cloud-credentials/${ids.credential}/validate`, methods: ["POST"] },
  {
    template: "/v1/projects",
    path: () => "/v1/projects",
    methods: ["GET", "POST"],
    list: true,
    body: () => ({ domain_id: DOMAIN, name: "Hostile", slug: uniqueSlug("hp") }),
  },
  { template: "/v1/projects/{id}", path: (ids) => `/v1/projects/${ids.project}`, methods: ["GET"] },
  {
    template: "/v1/projects/{id}/credential-assignments",
    path: (ids) => `/v1/projects/${ids.project}/credential-assignments`,
    methods: ["GET", "POST"],
    list: true,
    body: (ids) => ({ cloud_credential_id: ids.credential }),
  },
  {
    template: "/v1/credential-assignments/{id}/approve",
    path: (ids) => `/v1/credential-assignments/${ids.approve}/approve`,
    methods: ["POST"],
    body: () => ({ reason: "ok" }),
  },
  {
    template: "/v1/credential-assignments/{id}/reject",
    path: (ids) => `/v1/credential-assignments/${ids.reject}/reject`,
    methods: ["POST"],
    body: () => ({ reason: "no" }),
  },
  {
    template: "/v1/credential-assignments/{id}/revoke",
    path: (ids) => `/v1/credential-assignments/${ids.revokeAssignment}/revoke`,
    methods: ["POST"],
    body: () => ({ reason: "gone" }),
  },
  {
    template: "/v1/projects/{id}/cloud-assignments",
    path: (ids) => `/v1/projects/${ids.project}/cloud-assignments`,
    methods: ["GET", "POST"],
    list: true,
    body: (ids) => ({ cloud_id: ids.cloud }),
  },
  {
    template: "/v1/cloud-credentials/{id}/clouds",
    path: (ids) => `/v1/cloud-credentials/${ids.credential}/clouds`,
    methods: ["GET", "POST"],
    list: true,
    body: (ids) => ({ cloud_id: ids.cloud }),
  },
  {
    template: "/v1/cloud-assignments/{id}/revoke",
    path: (ids) => `/v1/cloud-assignments/${ids.cloudAssignment}/revoke`,
    methods: ["POST"],
    body: () => ({ reason: "gone" }),
  },
  {
    template: "/v1/approvals",
    path: () => "/v1/approvals",
    methods: ["GET"],
    list: true,
    query: (ids) => ({ status: "pending-approval", kind: "credential_assignment", cloud_id: ids.cloud, domain_id: DOMAIN }),
  },
  { template: "/v1/approvals/{id}", path: (ids) => `/v1/approvals/${ids.approve}`, methods: ["GET"] },
  { template: "/v1/approvals/{id}/approve", path: (ids) => `/v1/approvals/${ids.approve}/approve`, methods: ["POST"], body: () => ({}) },
  {
    template: "/v1/approvals/{id}/reject",
    path: (ids) => `/v1/approvals/${ids.reject}/reject`,
    methods: ["POST"],
    body: () => ({ reason: "no" }),
  },
  {
    template: "/v1/approvals/{id}/break-glass",
    path: (ids) => `/v1/approvals/${ids.reject}/break-glass`,
    methods: ["POST"],
    body: () => ({ reason: "an emergency, written out" }),
  },
  {
    template: "/v1/cloud-credentials/{id}/clouds/{cloud_id}",
    path: (ids) => `/v1/cloud-credentials/${ids.credential}/clouds/${ids.cloud}`,
    methods: ["DELETE"],
  },
  {
    template: "/v1/domains/{id}/audit/entries",
    path: () => `/v1/domains/${DOMAIN}/audit/entries`,
    methods: ["GET"],
    list: true,
    query: (ids) => ({
      subject: "a".repeat(64),
      relation: "cloud.create",
      object_type: "cloud",
      object_id: ids.cloud,
      reason: "granted",
      from: "2020-01-01T00:00:00Z",
      to: "2100-01-01T00:00:00Z",
      correlation_id: ids.user,
    }),
  },
  { template: "/v1/platform/audit/entries/{seq}", path: () => "/v1/platform/audit/entries/1", methods: ["GET"] },
  {
    template: "/v1/platform/audit/erase-identity",
    path: () => "/v1/platform/audit/erase-identity",
    methods: ["POST"],
    body: (ids) => ({ identity_id: ids.user }),
  },
  {
    template: "/v1/audit/entries",
    path: () => "/v1/audit/entries",
    methods: ["GET"],
    list: true,
    query: (ids) => ({
      cloud_id: ids.cloud,
      actor_id: ids.user,
      action: "cloud.create",
      since: "2020-01-01",
      until: "2100-01-01T00:00:00Z",
    }),
  },
];

// Path segments standing where an id goes.
const BAD_IDS = [
  "%ff",
  "%",
  "%zz",
  "%c0%af",
  "%00",
  "%E2%80%AE",
  "%F0%9F%92%A9",
  "%ED%A0%80",
  "not-a-uuid",
  "x".repeat(3000),
  "..%2f..%2fetc",
  "00000000-0000-0000-0000-00000000000G",
];
// Requests under /v1 that no route serves.
const UNKNOWN_PATHS = [
  "/v1/nope/%ff",
  "/v1/nope",
  "/v1/%",
  "/v1/%00",
  "/v1/clouds/%ff/cloud-credentials/%ff",
  "/v1//clouds",
  "/v1/clouds/../health",
  "/v1/%F0%9F%92%A9/x",
  "/v1/health/%ff",
];
const ODD_METHODS = ["TRACE", "PROPFIND", "FOO", "OPTIONS", "HEAD", "PUT", "MKCOL", "PURGE", "SEARCH", "LINK"];
// TRACE cannot be a fetch Request and FOO is no method Node's parser knows: every caller sends these.
const UNREPRESENTABLE_METHODS = ["TRACE", "PROPFIND", "FOO"];
const ODD_QUERY_VALUES = [
  "%ff",
  "%",
  "%00",
  "a%00b",
  "9".repeat(400),
  "-1",
  "1e999",
  "0x10",
  "%E2%80%AE",
  "%ED%A0%80",
  "[]",
  "0000-01-01",
  "+275760-09-14T00:00:00Z",
];
const BAD_CURSORS = ["x", "a.b", "a.b.c", "%ff", "%00", "eyJ9.x", "A".repeat(4000), "..", "."];
const ODD_VALUES: [string, unknown][] = [
  ["nul", "a\u0000b"],
  ["only-nul", "\u0000"],
  ["control", "a\u0007\u001bb"],
  ["int32 max", 2_147_483_647],
  ["int32 overflow", 2_147_483_648],
  ["beyond 2^53", 9_007_199_254_740_993],
  ["negative", -1],
  ["zero", 0],
  ["fraction", 1.5],
  ["huge", 1e308],
  ["wrong type: boolean", true],
  ["wrong type: null", null],
  ["wrong type: object", { a: 1 }],
  ["wrong type: array", ["a"]],
  ["wrong type: string", "12"],
  ["long string", "y".repeat(6000)],
  ["lone surrogate", "\ud800"],
  ["bad uuid", "00000000-0000-0000-0000-00000000000G"],
  ["year zero", "0000-01-01T00:00:00Z"],
  ["year zero by offset", "0001-01-01T00:00:00+01:00"],
];
// Valid but odd: they may change state, so they run after everything above.
const ODD_VALID_VALUES: [string, unknown][] = [
  ["rtl override", "a\u202eb"],
  ["zero width", "\u200b"],
  ["emoji", "\u{1F4A9}"],
  ["combining", "e\u0301\u0301\u0301"],
];
const RAW_BODIES: [string, string | Buffer, string][] = [
  ["bad JSON", "{", "application/json"],
  ["truncated JSON", '{"a":', "application/json"],
  ["trailing garbage", '{"a":1}x', "application/json"],
  ["empty", "", "application/json"],
  ["null", "null", "application/json"],
  ["array", "[]", "application/json"],
  ["number", "1e999", "application/json"],
  ["string", '"x"', "application/json"],
  ["BOM", "\ufeff{}", "application/json"],
  ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "application/json"],
  ["deep nesting", "[".repeat(4000) + "]".repeat(4000), "application/json"],
  ["__proto__", '{"__proto__":{"x":1},"constructor":{"prototype":{}}}', "application/json"],
  ["text/plain", "{}", "text/plain"],
  ["form", "a=b", "application/x-www-form-urlencoded"],
  ["multipart", "--x\r\n\r\n--x--", "multipart/form-data; boundary=x"],
  ["no content-type", "{}", ""],
  ["utf-16", "{}", "application/json; charset=utf-16"],
  ["jsonish", "{}", "application/jsonx"],
];
const ODD_HEADERS: [string, Record<string, string>][] = [
  ["huge header", { "x-filler": "h".repeat(12_000) }],
  ["headers over the server's limit", { "x-filler": "h".repeat(20_000) }],
  ["huge cookie", { cookie: `junk=${"c".repeat(8000)}` }],
  ["bad bearer", { authorization: "Bearer %00%ff" }],
  ["bearer scheme only", { authorization: "Bearer" }],
  ["basic", { authorization: "Basic Zm9vOmJhcg==" }],
  ["long bearer", { authorization: `Bearer psk_dev_${"A".repeat(8000)}` }],
  ["latin1 bearer", { authorization: "Bearer psk_dev_\u00ff\u00fe" }],
  ["garbage session cookie", { cookie: "next-auth.session-token=%ff%00garbage; __Secure-next-auth.session-token=x" }],
  ["accept", { accept: "text/html;q=2, */*;q=-1" }],
  ["forwarded", { "x-forwarded-host": "evil.example", "x-forwarded-proto": "gopher", forwarded: "for=\u00ff" }],
  ["bad content-length semantics", { range: "bytes=999999999999-", "if-modified-since": "0000" }],
];

/** Prints the counts and the defects grouped by kind (ids and values folded), and keeps every defect in a file. */
function report(name: string, counts: Record<string, number>, defects: string[], file: string) {
  console.log(`${name}: ${JSON.stringify(counts)}`);
  writeFileSync(file, defects.join("\n"));
  const kinds = new Map<string, number>();
  for (const d of defects) {
    const kind = d.replace(/^(bearer|cookie|anonymous) /, "").replace(/ (id|\S+)[=:] ?.*? ->/, " … ->");
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  if (defects.length) console.log(`${defects.length} defects (all in ${file}):\n${[...kinds].map(([k, n]) => `  ${n} × ${k}`).join("\n")}`);
}

interface Case {
  label: string;
  who: Who;
  req: RawRequest;
  phase: 1 | 2;
}

function withQuery(path: string, query: Record<string, string>) {
  const pairs = Object.entries(query).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? `${path}?${pairs.join("&")}` : path;
}
const enc = (q: Record<string, string>) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, encodeURIComponent(v)]));

function corpus(ids: Ids): Case[] {
  const cases: Case[] = [];
  // Each case as every caller; or, where the caller matters less than the input, as the next caller in turn.
  const everyone: Who[] = ["bearer", "cookie", "anonymous"];
  let turn = 0;
  const add = (label: string, req: RawRequest, phase: 1 | 2 = 1) => {
    for (const who of everyone) cases.push({ label: `${who} ${label}`, who, req, phase });
  };
  const addInTurn = (label: string, req: RawRequest, phase: 1 | 2 = 1, callers: Who[] = everyone) => {
    const who = callers[turn++ % callers.length];
    cases.push({ label: `${who} ${label}`, who, req, phase });
  };
  // Anonymous writes stop at 401 before any body is read, so bodies go to the signed-in callers.
  const signedIn: Who[] = ["bearer", "cookie"];
  const json = (body: unknown): Pick<RawRequest, "headers" | "body"> => ({
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

  for (const path of UNKNOWN_PATHS) for (const method of ["GET", "POST", "TRACE"]) add(`${method} ${path}`, { method, path });

  for (const route of routes) {
    const base = route.path(ids);
    const validQuery = route.query ? enc(route.query(ids)) : {};
    // Every odd method, on every route.
    for (const method of ODD_METHODS) {
      const req = { method, path: withQuery(base, validQuery) };
      if (UNREPRESENTABLE_METHODS.includes(method)) add(`${method} ${route.template}`, req);
      else addInTurn(`${method} ${route.template}`, req);
    }
    // Bad ids in the path, with each method the route serves.
    if (route.template.includes("{id}")) {
      for (const bad of BAD_IDS) {
        const path = route.template.replace("{id}", bad);
        for (const method of route.methods)
          addInTurn(`${method} ${route.template} id=${bad.slice(0, 20)}`, {
            method,
            path,
            ...(method === "GET" ? {} : json(route.body?.(ids) ?? {})),
          });
      }
    }
    // Odd query values in every parameter the route reads, and in limit/cursor for lists.
    const params = [...Object.keys(validQuery), ...(route.list ? ["limit"] : [])];
    for (const param of params) {
      for (const value of ODD_QUERY_VALUES)
        addInTurn(`GET ${route.template}?${param}=${value.slice(0, 20)}`, {
          method: "GET",
          path: withQuery(base, { ...validQuery, [param]: value }),
        });
    }
    if (route.list)
      for (const cursor of BAD_CURSORS)
        add(`GET ${route.template}?cursor=${cursor.slice(0, 20)}`, { method: "GET", path: withQuery(base, { cursor }) });
    // Odd headers on the route's first method.
    for (const [name, headers] of ODD_HEADERS)
      addInTurn(`${route.methods[0]} ${route.template} ${name}`, { method: route.methods[0], path: withQuery(base, validQuery), headers });
    // Bodies for each writing method.
    for (const method of route.methods.filter((m) => m === "POST" || m === "PATCH")) {
      const path = withQuery(base, validQuery);
      for (const [name, body, type] of RAW_BODIES)
        addInTurn(
          `${method} ${route.template} body ${name}`,
          { method, path, headers: type ? { "content-type": type } : {}, body },
          1,
          signedIn,
        );
      const valid = route.body?.(ids);
      if (!valid) continue;
      for (const field of Object.keys(valid)) {
        for (const [name, value] of ODD_VALUES)
          addInTurn(`${method} ${route.template} ${field}: ${name}`, { method, path, ...json({ ...valid, [field]: value }) }, 1, signedIn);
        for (const [name, value] of ODD_VALID_VALUES)
          addInTurn(
            `${method} ${route.template} ${field}: ${name}`,
            { method, path, ...json({ ...route.body!(ids), [field]: value }) },
            2,
            signedIn,
          );
      }
      addInTurn(`${method} ${route.template} unknown field with NUL key`, { method, path, ...json({ ...valid, "a\u0000": 1 }) });
    }
  }
  return cases;
}

async function setUp(request: APIRequestContext, operator: Caller, viewer: Caller): Promise<Ids> {
  const h = operator.headers;
  const post = async (path: string, data: unknown, headers = h) => {
    const response = await request.post(path, { headers, data });
    if (response.status() !== 201 && response.status() !== 200) throw new Error(`${path}: ${response.status()} ${await response.text()}`);
    return response.json();
  };
  const cloud = await post("/v1/clouds", cloudBody(uniqueSlug("hostile")));
  const credential = await post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
    display_name: "hostile",
    payload: b64("s"),
    allow_unusual_shape: true,
  });
  const revokable = await post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
    display_name: "hostile revokable",
    payload: b64("s"),
    allow_unusual_shape: true,
  });
  const project = await post("/v1/projects", { domain_id: DOMAIN, name: "Hostile", slug: uniqueSlug("hostile") });
  await post(`/v1/authz/relation-tuples?project_id=${project.id}`, {
    subject: `user:${viewer.userId}`,
    relation: "deploy",
    resource: `project:${project.id}`,
  });
  const tuple = await post(`/v1/authz/relation-tuples?project_id=${project.id}`, {
    subject: `user:${viewer.userId}`,
    relation: "manage",
    resource: `project:${project.id}`,
  });
  const cloudAssignment = await post(`/v1/clouds/${cloud.id}/cloud-assignments`, { project_id: project.id });
  // The viewer asks; the operator decides, so decisions reach their body checks.
  const assignments: string[] = [];
  for (const name of ["approve", "reject", "revoke"]) {
    const extra = await post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      display_name: `hostile ${name}`,
      payload: b64("s"),
      allow_unusual_shape: true,
    });
    assignments.push(
      (await post(`/v1/projects/${project.id}/credential-assignments`, { cloud_credential_id: extra.id }, viewer.headers)).id,
    );
  }
  const token = await post("/v1/auth/tokens", { identity_ref: `user:${operator.userId}`, env_prefix: "dev" });
  return {
    cloud: cloud.id,
    credential: credential.id,
    revokable: revokable.id,
    project: project.id,
    approve: assignments[0],
    reject: assignments[1],
    revokeAssignment: assignments[2],
    cloudAssignment: cloudAssignment.id,
    token: token.id,
    tuple: tuple.id,
    user: operator.userId,
  };
}

test("a corpus of malformed /v1 requests: no 5xx, every error a problem, security headers on every answer", async ({
  playwright,
  request,
  target,
}, testInfo) => {
  test.setTimeout(600_000);
  const started = Date.now();
  const operatorSession = await playwright.request.newContext({ baseURL: target.baseURL });
  const operator = await demoCaller(operatorSession, target, cast.operator);
  // The cookie caller is the operator's own browser session, so cookie writes get past CSRF to the body.
  const cookie = {
    cookie: (await operatorSession.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; "),
    ...(await csrfHeaders(operatorSession, target.baseURL)),
  };
  const viewerSession = await playwright.request.newContext({ baseURL: target.baseURL });
  const viewer = await demoCaller(viewerSession, target, cast.viewer);
  const ids = await setUp(request, operator, viewer);
  const credentials: Record<Who, Record<string, string>> = { bearer: operator.headers, cookie, anonymous: {} };

  const cases = corpus(ids);
  const counts = { requests: cases.length, fiveHundreds: 0, nonProblems: 0, missingHeaders: 0, transportErrors: 0, seconds: 0 };
  const defects: string[] = [];
  for (const phase of [1, 2] as const) {
    await runPool(
      cases.filter((c) => c.phase === phase),
      6,
      async (c) => {
        // The caller's credentials go under the case's own headers, so a case can replace them (a bad cookie or bearer).
        const req = { ...c.req, headers: { ...credentials[c.who], ...c.req.headers } };
        try {
          const res = await sendRaw(target.baseURL, req);
          const defect = problemDefect(req, res);
          if (defect?.startsWith("5xx")) counts.fiveHundreds++;
          else if (defect) counts.nonProblems++;
          const missing = missingSecurityHeaders(res, { api: true });
          if (missing.length) counts.missingHeaders++;
          if (defect || missing.length)
            defects.push(`${c.label} -> ${res.status} ${defect ?? ""} ${missing.length ? `missing ${missing.join(", ")}` : ""}`);
        } catch (error) {
          counts.transportErrors++;
          defects.push(`${c.label} -> ${(error as Error).message}`);
        }
      },
    );
  }
  counts.seconds = Math.round((Date.now() - started) / 1000);
  // Leave no request waiting in the Approvals inbox of the specs that follow.
  for (const id of [ids.approve, ids.reject, ids.revokeAssignment]) {
    const decided = await request.post(`/v1/credential-assignments/${id}/reject`, {
      headers: operator.headers,
      data: { reason: "hostile corpus done" },
    });
    expect([200, 409]).toContain(decided.status());
  }
  report("hostile /v1 corpus", counts, defects, testInfo.outputPath("defects.txt"));
  expect(counts.requests).toBeGreaterThanOrEqual(1000);
  expect(defects).toEqual([]);
  await operatorSession.dispose();
  await viewerSession.dispose();
});

test("next-auth's endpoints and the pages answer hostile input without a 5xx, with security headers", async ({ target }, testInfo) => {
  const paths = [
    "/api/auth/callback/credentials",
    "/api/auth/callback/credentials?error=%ff",
    "/api/auth/callback/nope",
    "/api/auth/signin",
    "/api/auth/signin?callbackUrl=javascript:alert(1)",
    "/api/auth/signin?callbackUrl=%ff",
    "/api/auth/signin/credentials",
    "/api/auth/signout",
    "/api/auth/session",
    "/api/auth/csrf",
    "/api/auth/providers",
    "/api/auth/error?error=%00",
    "/api/auth/%ff",
    "/api/auth/nope",
    "/api/auth/_log",
    "/login?callbackUrl=javascript:alert(1)",
    "/login?error=%ff",
    "/%ff",
    "/clouds/%ff",
    "/clouds/not-a-uuid",
    "/credentials/%00",
  ];
  const bodies: [string, string][] = [
    ["", ""],
    ["application/x-www-form-urlencoded", "csrfToken=%ff&email=%00&password=x"],
    ["application/x-www-form-urlencoded", "%"],
    ["application/json", "{"],
    ["text/plain", "\u0000"],
  ];
  const cases: RawRequest[] = [];
  for (const path of paths) {
    for (const method of ["GET", "HEAD", "TRACE", "PROPFIND", "OPTIONS"]) cases.push({ method, path });
    for (const [type, body] of bodies) cases.push({ method: "POST", path, headers: type ? { "content-type": type } : {}, body });
  }
  const counts = { requests: cases.length, fiveHundreds: 0, missingHeaders: 0, transportErrors: 0 };
  const defects: string[] = [];
  await runPool(cases, 4, async (req) => {
    try {
      const res = await sendRaw(target.baseURL, req);
      if (res.status >= 500) counts.fiveHundreds++;
      const missing = missingSecurityHeaders(res, { api: false });
      if (missing.length) counts.missingHeaders++;
      if (res.status >= 500 || missing.length)
        defects.push(`${req.method} ${req.path} -> ${res.status} ${missing.length ? `missing ${missing.join(", ")}` : ""}`);
    } catch (error) {
      counts.transportErrors++;
      defects.push(`${req.method} ${req.path} -> ${(error as Error).message}`);
    }
  });
  report("next-auth and pages corpus", counts, defects, testInfo.outputPath("defects.txt"));
  expect(defects).toEqual([]);
});
