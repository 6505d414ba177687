import { cast, expect, test, uniqueSlug, type Target } from "../fixtures";
import { b64, cloudBody, seededCaller, signInWithPassword, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

/**
 * What a client generated from the plexsphere v1 contract sends, and what it
 * must get back: each test here is one way such a client broke on this API.
 */
const DOMAIN_ID = "00000000-0000-7000-8000-000000000001";
const PERMISSION_DENIED_FIELDS = ["reason", "relation_path", "correlation_id"];

async function cast3(target: Target) {
  return {
    operator: await seededCaller(target, { label: "cc-operator", platformAdmin: true }),
    owner: await seededCaller(target, { label: "cc-owner" }),
    member: await seededCaller(target, { label: "cc-member" }),
  };
}

/** A Project with an owner (manage) and a member (deploy), a usable Cloud and an active credential. */
async function projectWithCredential(
  request: import("@playwright/test").APIRequestContext,
  people: Record<"operator" | "owner" | "member", Caller>,
) {
  const as = (who: keyof typeof people) => people[who].headers;
  const project = await (
    await request.post("/v1/projects", {
      headers: as("operator"),
      data: { domain_id: DOMAIN_ID, name: "Contract client", slug: uniqueSlug("cc") },
    })
  ).json();
  for (const [who, relation] of [
    ["owner", "manage"],
    ["member", "deploy"],
  ] as const) {
    const tuple = await request.post(`/v1/authz/relation-tuples?project_id=${project.id}`, {
      headers: as("operator"),
      data: { subject: `user:${people[who].userId}`, relation, resource: `project:${project.id}` },
    });
    expect(tuple.status()).toBe(201);
    // The contract declares no headers on this 201; above all no Location that would answer 404.
    expect(tuple.headers()["location"]).toBeUndefined();
  }
  const cloud = await (await request.post("/v1/clouds", { headers: as("operator"), data: cloudBody(uniqueSlug("cc")) })).json();
  const credential = await (
    await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: as("operator"),
      data: { display_name: "cc", payload: b64("s"), allow_unusual_shape: true },
    })
  ).json();
  expect(
    (
      await request.post(`/v1/clouds/${cloud.id}/cloud-assignments`, { headers: as("operator"), data: { project_id: project.id } })
    ).status(),
  ).toBe(201);
  return { project, cloud, credential };
}

test.beforeEach(async ({ request }) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
});

test("approve takes no body: a request without body or Content-Type is decided, and self-approval is 403 self_approval_denied", async ({
  request,
  target,
  baseURL,
}) => {
  const people = await cast3(target);
  const { project, credential } = await projectWithCredential(request, people);

  // The owner (manage, so deploy too) asks; only someone else who manages the Project may approve.
  const asked = await request.post(`/v1/projects/${project.id}/credential-assignments`, {
    headers: people.owner.headers,
    data: { cloud_credential_id: credential.id },
  });
  const requested = await expectConforms(asked, "POST /v1/projects/{id}/credential-assignments", 201);
  // No by-id read exists, so the contract sends no Location; ours pointed at a 404.
  expect(asked.headers()["location"]).toBeUndefined();

  // Exactly what a generated client sends: POST, no body, no Content-Type.
  const bare = (who: Caller, id: string) =>
    fetch(`${baseURL}/v1/credential-assignments/${id}/approve`, { method: "POST", headers: who.headers });
  const self = await bare(people.owner, requested.id);
  expect(self.status).toBe(403);
  const refusal = await self.json();
  expect(refusal.code).toBe("self_approval_denied");
  expect(Object.keys(refusal)).toEqual(expect.arrayContaining(PERMISSION_DENIED_FIELDS));

  const approved = await bare(people.operator, requested.id);
  expect(approved.status, await approved.clone().text()).toBe(200);
  expect(await approved.json()).toMatchObject({ id: requested.id, state: "approved", materialised: true });

  // Reject and revoke keep the contract's required, non-blank reason.
  const revokeBlank = await request.post(`/v1/credential-assignments/${requested.id}/revoke`, {
    headers: people.owner.headers,
    data: { reason: "   " },
  });
  await expectConforms(revokeBlank, "POST /v1/credential-assignments/{id}/revoke", 400).then((p) =>
    expect(p.code).toBe("invalid_decision_reason"),
  );
  await expectConforms(
    await request.post(`/v1/credential-assignments/${requested.id}/revoke`, { headers: people.owner.headers, data: { reason: "done" } }),
    "POST /v1/credential-assignments/{id}/revoke",
    200,
  ).then((a) => expect(a.state).toBe("revoked"));
});

test("CSRF speaks the contract: plexsphere_csrf cookie, X-Plexsphere-CSRF header, and a token bound to the session", async ({
  playwright,
  target,
  baseURL,
}) => {
  const session = await playwright.request.newContext({ baseURL: target.baseURL });
  await signInWithPassword(session, cast.operator);
  await session.get("/v1/auth/whoami");
  const cookies = (await session.storageState()).cookies;
  const csrf = cookies.find((c) => c.name === "plexsphere_csrf")?.value;
  const sessionCookie = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(csrf, "the contract's CSRF cookie").toBeTruthy();
  expect(sessionCookie).toBeTruthy();
  const origin = new URL(baseURL!).origin;

  const create = (cookieJar: string, headers: Record<string, string>) =>
    fetch(`${baseURL}/v1/clouds`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: `${sessionCookie!.name}=${sessionCookie!.value}; ${cookieJar}`, ...headers },
      body: JSON.stringify(cloudBody(uniqueSlug("csrf"))),
    });
  const refused = async (response: Response, code: string) => {
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.code).toBe(code);
    expect(Object.keys(body)).toEqual(expect.arrayContaining(PERMISSION_DENIED_FIELDS));
  };

  // An attacker who can plant a cookie (a sibling subdomain) and make the browser send a matching header.
  const planted = "attacker-chosen-token";
  await refused(await create(`plexsphere_csrf=${planted}`, { origin, "x-plexsphere-csrf": planted }), "csrf_token_mismatch");
  await refused(await create(`plexsphere_csrf=${csrf}`, { origin }), "csrf_token_mismatch");
  await refused(
    await create(`plexsphere_csrf=${csrf}`, { origin: "https://evil.example", "x-plexsphere-csrf": csrf! }),
    "csrf_origin_mismatch",
  );
  expect((await create(`plexsphere_csrf=${csrf}`, { origin, "x-plexsphere-csrf": csrf! })).status).toBe(201);

  // Another sign-in is another session: the first one's token does not carry over.
  const second = await playwright.request.newContext({ baseURL: target.baseURL });
  await signInWithPassword(second, cast.operator);
  const otherSession = (await second.storageState()).cookies.find((c) => c.name.endsWith("next-auth.session-token"))!;
  const replay = await fetch(`${baseURL}/v1/clouds`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin,
      "x-plexsphere-csrf": csrf!,
      cookie: `${otherSession.name}=${otherSession.value}; plexsphere_csrf=${csrf}`,
    },
    body: JSON.stringify(cloudBody(uniqueSlug("csrf"))),
  });
  await refused(replay, "csrf_token_mismatch");
  await session.dispose();
  await second.dispose();
});

test("authz/check answers about a Project, for any subject, as data", async ({ request, target }) => {
  const people = await cast3(target);
  const { project } = await projectWithCredential(request, people);
  const ask = (who: Caller, subject: Caller, relation: string) =>
    request.post("/v1/authz/check", {
      headers: who.headers,
      data: { subject: `user:${subject.userId}`, relation, resource: `project:${project.id}` },
    });
  const op = "POST /v1/authz/check";

  expect(await expectConforms(await ask(people.owner, people.owner, "manage"), op, 200)).toMatchObject({ decision: "allowed" });
  expect(await expectConforms(await ask(people.member, people.member, "deploy"), op, 200)).toMatchObject({ decision: "allowed" });
  expect(await expectConforms(await ask(people.member, people.member, "manage"), op, 200)).toMatchObject({
    decision: "denied",
    reason: "insufficient_relation",
  });
  // Asking about somebody else is the contract's question too, never a 403.
  expect(await expectConforms(await ask(people.member, people.owner, "manage"), op, 200)).toMatchObject({ decision: "allowed" });
  expect(await expectConforms(await ask(people.member, people.operator, "observe"), op, 200)).toMatchObject({ decision: "allowed" });
});

test("every 403 is a PermissionDenied, cursor_binding_mismatch included", async ({ request, target }) => {
  const a = await seededCaller(target, { label: "cc-a", platformAdmin: true });
  const b = await seededCaller(target, { label: "cc-b", platformAdmin: true });
  for (let i = 0; i < 2; i += 1) await request.post("/v1/clouds", { headers: a.headers, data: cloudBody(uniqueSlug("cc-page")) });
  const page = await (await request.get("/v1/clouds?limit=1", { headers: a.headers })).json();
  const replayed = await expectConforms(
    await request.get(`/v1/clouds?limit=1&cursor=${encodeURIComponent(page.next_cursor)}`, { headers: b.headers }),
    "GET /v1/clouds",
    403,
  );
  expect(replayed.code).toBe("cursor_binding_mismatch");
  expect(Object.keys(replayed)).toEqual(expect.arrayContaining(PERMISSION_DENIED_FIELDS));
  expect(replayed.relation_path).toEqual([]);
});

test("the Domain: whoami names it, /v1/domains describes it, Projects name it and refuse any other", async ({ request, target }) => {
  const operator = await seededCaller(target, { label: "cc-dom", platformAdmin: true });
  const h = operator.headers;
  const whoami = await expectConforms(await request.get("/v1/auth/whoami", { headers: h }), "GET /v1/auth/whoami", 200);
  expect(whoami.domain_id).toBe(DOMAIN_ID);

  const domains = await expectConforms(await request.get("/v1/domains", { headers: h }), "GET /v1/domains", 200);
  expect(domains.items.map((d: { id: string }) => d.id)).toEqual([DOMAIN_ID]);
  // The newest contract's clients refuse mesh_cidr "" (it fails the pattern); a Domain without a mesh pool leaves it out.
  expect(domains.items[0]).not.toHaveProperty("mesh_cidr");
  for (const method of ["get", "delete"] as const) {
    const malformed = await request[method]("/v1/domains/not-a-uuid", { headers: h });
    expect([malformed.status(), (await malformed.json()).code]).toEqual([400, "invalid_domain_id"]);
  }
  expect(await expectConforms(await request.get(`/v1/domains/${DOMAIN_ID}`, { headers: h }), "GET /v1/domains/{id}", 200)).toMatchObject({
    id: DOMAIN_ID,
  });
  const elsewhere = "0190a8b8-a0c0-7a0a-8a0a-a0a0a0a0a0a1";
  await expectConforms(await request.get(`/v1/domains/${elsewhere}`, { headers: h }), "GET /v1/domains/{id}", 404).then((p) =>
    expect(p.code).toBe("domain_not_found"),
  );
  await expectConforms(await request.get("/v1/domains", {}), "GET /v1/domains", 401);

  await expectConforms(
    await request.post("/v1/projects", { headers: h, data: { domain_id: elsewhere, name: "Nowhere", slug: uniqueSlug("nowhere") } }),
    "POST /v1/projects",
    409,
  ).then((p) => expect(p.code).toBe("parent_domain_missing"));
  const project = await expectConforms(
    await request.post("/v1/projects", { headers: h, data: { domain_id: DOMAIN_ID, name: "Here", slug: uniqueSlug("here") } }),
    "POST /v1/projects",
    201,
  );
  const ids = async (query: string) =>
    (await expectConforms(await request.get(`/v1/projects${query}`, { headers: h }), "GET /v1/projects", 200)).items.map(
      (p: { id: string }) => p.id,
    );
  expect(await ids(`?domain_id=${DOMAIN_ID}`)).toContain(project.id);
  expect(await ids(`?domain_id=${elsewhere}`)).toEqual([]);
  await expectConforms(await request.get("/v1/projects?domain_id=nope", { headers: h }), "GET /v1/projects", 400).then((p) =>
    expect(p.code).toBe("invalid_domain_filter"),
  );
});

test("PATCH of a relation tuple replaces it, delete-then-write", async ({ request, target }) => {
  const people = await cast3(target);
  const { project } = await projectWithCredential(request, people);
  const tuples = await (
    await request.get(`/v1/authz/relation-tuples?project_id=${project.id}`, { headers: people.operator.headers })
  ).json();
  const membership = tuples.items.find((t: { subject: string }) => t.subject === `user:${people.member.userId}`);
  const patch = (who: Caller, data: object) => request.patch(`/v1/authz/relation-tuples/${membership.id}`, { headers: who.headers, data });
  const op = "PATCH /v1/authz/relation-tuples/{id}";

  await expectConforms(
    await patch(people.member, { subject: `user:${people.member.userId}`, relation: "manage", resource: `project:${project.id}` }),
    op,
    403,
  );
  await expectConforms(
    await patch(people.owner, { subject: `user:${people.member.userId}`, relation: "manage", resource: `project:${crypto.randomUUID()}` }),
    op,
    400,
  );
  const replaced = await expectConforms(
    await patch(people.owner, { subject: `user:${people.member.userId}`, relation: "manage", resource: `project:${project.id}` }),
    op,
    200,
  );
  expect(replaced).toMatchObject({ subject: `user:${people.member.userId}`, relation: "manage", resource: `project:${project.id}` });
  const after = await (
    await request.get(`/v1/authz/relation-tuples?project_id=${project.id}`, { headers: people.operator.headers })
  ).json();
  const mine = after.items
    .filter((t: { subject: string }) => t.subject === `user:${people.member.userId}`)
    .map((t: { relation: string }) => t.relation);
  expect(mine).toEqual(["manage"]);
  await expectConforms(
    await patch(people.owner, { subject: `user:${people.member.userId}`, relation: "deploy", resource: `project:${project.id}` }),
    op,
    404,
  );
});

test("a Cloud's endpoint and region_defaults are free-form JSON objects, bounded", async ({ request, target }) => {
  const operator = await seededCaller(target, { label: "cc-cloud", platformAdmin: true });
  const endpoint = { url: "https://api.example", port: 443, tls: { verify: true, ca: null }, zones: ["a", "b"] };
  const region_defaults = { region: "eu-west-1", replicas: 3 };
  const created = await expectConforms(
    await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug("free"), { endpoint, region_defaults }) }),
    "POST /v1/clouds",
    201,
  );
  expect(created).toMatchObject({ endpoint, region_defaults });
  expect(await (await request.get(`/v1/clouds/${created.id}`, { headers: operator.headers })).json()).toMatchObject({
    endpoint,
    region_defaults,
  });
  const patched = await expectConforms(
    await request.patch(`/v1/clouds/${created.id}`, {
      headers: operator.headers,
      data: { endpoint: { url: "https://b.example", weight: 0.5 } },
    }),
    "PATCH /v1/clouds/{id}",
    200,
  );
  expect(patched.endpoint).toEqual({ url: "https://b.example", weight: 0.5 });

  let deep: object = { leaf: "x" };
  for (let i = 0; i < 12; i += 1) deep = { nested: deep };
  for (const [field, value, code] of [
    ["endpoint", deep, "invalid_cloud_endpoint"],
    // Reserved key names are refused for every /v1 body in one place (checkBody), before any field rule.
    ["endpoint", JSON.parse('{"__proto__": {"admin": true}}'), "invalid_body"],
    ["region_defaults", { constructor: "x" }, "invalid_body"],
    ["endpoint", [1, 2], "invalid_body"],
  ] as const) {
    const response = await request.post("/v1/clouds", {
      headers: operator.headers,
      data: cloudBody(uniqueSlug("bad"), { [field]: value }),
    });
    await expectConforms(response, "POST /v1/clouds", 400).then((p) => expect(p.code, JSON.stringify(value)).toBe(code));
  }
});

test("our audit list is described in /v1/openapi.json as beyond the contract", async ({ request }) => {
  const doc = await (await request.get("/v1/openapi.json")).json();
  expect(doc.paths["/v1/audit/entries"].get["x-plexsphere-beyond-contract"]).toBe(true);
  expect(doc.paths["/v1/credential-assignments/{id}/approve"].post.requestBody?.required).not.toBe(true);
  expect(doc.paths["/v1/clouds/{id}"].get["x-plexsphere-beyond-contract"]).toBeUndefined();
});

test("a credential request naming both the credential and the Cloud is ambiguous_credential_target, neither is invalid_body", async ({
  request,
  target,
}) => {
  const people = await cast3(target);
  const { project, cloud, credential } = await projectWithCredential(request, people);
  const ask = (data: Record<string, string>) =>
    request.post(`/v1/projects/${project.id}/credential-assignments`, { headers: people.member.headers, data });
  await expectConforms(
    await ask({ cloud_credential_id: credential.id, cloud_id: cloud.id }),
    "POST /v1/projects/{id}/credential-assignments",
    400,
  ).then((p) => expect(p.code).toBe("ambiguous_credential_target"));
  await expectConforms(await ask({}), "POST /v1/projects/{id}/credential-assignments", 400).then((p) =>
    expect(p.code).toBe("invalid_body"),
  );
});

test("the sign-in chooser: domain_id is optional, scope=platform lists the platform-shared bindings, neither is []", async ({
  request,
}) => {
  const op = "GET /v1/auth/idp-bindings";
  expect(await expectConforms(await request.get("/v1/auth/idp-bindings"), op, 200)).toEqual([]);
  const platform = await expectConforms(await request.get(`/v1/auth/idp-bindings?scope=platform&domain_id=${DOMAIN_ID}`), op, 200);
  expect(Array.isArray(platform)).toBe(true);
  await expectConforms(await request.get("/v1/auth/idp-bindings?scope=galaxy"), op, 400).then((p) => expect(p.code).toBe("invalid_scope"));
  await expectConforms(await request.get("/v1/auth/idp-bindings?domain_id=nope"), op, 400).then((p) =>
    expect(p.code).toBe("invalid_domain_id"),
  );
});
