import { randomUUID } from "node:crypto";
import { cast, expect, query, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, csrfHeaders, demoCaller, seededCaller, signInWithPassword, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

/**
 * Every catalog endpoint, called by each kind of caller: anonymous, viewer,
 * owner (no platform rights), the operator who created the Cloud, and a
 * second operator (platform admin) who manages a different Cloud.
 */
type Who = "anonymous" | "viewer" | "owner" | "operator" | "otherOperator";

test("each endpoint allows exactly the callers it should", async ({ playwright, request, target }) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const callers: Record<Exclude<Who, "anonymous">, Caller> = {} as never;
  for (const [who, email] of [
    ["viewer", cast.viewer],
    ["owner", cast.owner],
    ["operator", cast.operator],
  ] as const) {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    callers[who] = await demoCaller(session, target, email);
    await session.dispose();
  }
  callers.otherOperator = await seededCaller(target, { label: "second-operator", platformAdmin: true });
  const headers = (who: Who) => (who === "anonymous" ? {} : callers[who].headers);

  const cloud = await (await request.post("/v1/clouds", { headers: headers("operator"), data: cloudBody(uniqueSlug()) })).json();
  const otherCloud = await (await request.post("/v1/clouds", { headers: headers("otherOperator"), data: cloudBody(uniqueSlug()) })).json();
  const credential = await (
    await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: headers("operator"),
      data: { display_name: "c", payload: b64("s"), allow_unusual_shape: true },
    })
  ).json();
  expect(cloud.id && otherCloud.id && credential.id).toBeTruthy();

  // [operation, how to call it, expected status per caller]
  const matrix: [string, (who: Who) => Promise<import("@playwright/test").APIResponse>, Record<Who, number>][] = [
    [
      "GET /v1/clouds/{id}",
      (w) => request.get(`/v1/clouds/${cloud.id}`, { headers: headers(w) }),
      { anonymous: 401, viewer: 403, owner: 403, operator: 200, otherOperator: 200 },
    ],
    [
      "GET /v1/clouds/{id}/cloud-credentials",
      (w) => request.get(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: headers(w) }),
      { anonymous: 401, viewer: 403, owner: 403, operator: 200, otherOperator: 200 },
    ],
    [
      "GET /v1/cloud-credentials/{id}",
      (w) => request.get(`/v1/cloud-credentials/${credential.id}`, { headers: headers(w) }),
      // Whoever may not see the Cloud is told the credential does not exist, as for an absent id.
      { anonymous: 401, viewer: 404, owner: 404, operator: 200, otherOperator: 200 },
    ],
    [
      "POST /v1/clouds/{id}/cloud-credentials",
      (w) =>
        request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
          headers: headers(w),
          data: { display_name: `by ${w}`, payload: b64("s"), allow_unusual_shape: true },
        }),
      { anonymous: 401, viewer: 403, owner: 403, operator: 201, otherOperator: 403 },
    ],
    [
      "PATCH /v1/clouds/{id}",
      (w) => request.patch(`/v1/clouds/${cloud.id}`, { headers: headers(w), data: { display_name: `renamed by ${w}` } }),
      { anonymous: 401, viewer: 403, owner: 403, operator: 200, otherOperator: 403 },
    ],
    [
      "POST /v1/cloud-credentials/{id}/revoke",
      (w) => request.post(`/v1/cloud-credentials/${credential.id}/revoke`, { headers: headers(w), data: { reason: `by ${w}` } }),
      { anonymous: 401, viewer: 404, owner: 404, otherOperator: 403, operator: 200 },
    ],
    [
      "DELETE /v1/clouds/{id}",
      (w) => request.delete(`/v1/clouds/${otherCloud.id}`, { headers: headers(w) }),
      { anonymous: 401, viewer: 403, owner: 403, operator: 403, otherOperator: 204 },
    ],
    [
      "POST /v1/clouds",
      (w) => request.post("/v1/clouds", { headers: headers(w), data: cloudBody(uniqueSlug(w.toLowerCase())) }),
      { anonymous: 401, viewer: 403, owner: 403, operator: 201, otherOperator: 201 },
    ],
    [
      "GET /v1/clouds",
      (w) => request.get("/v1/clouds", { headers: headers(w) }),
      { anonymous: 401, viewer: 200, owner: 200, operator: 200, otherOperator: 200 },
    ],
    [
      "GET /v1/auth/whoami",
      (w) => request.get("/v1/auth/whoami", { headers: headers(w) }),
      { anonymous: 401, viewer: 200, owner: 200, operator: 200, otherOperator: 200 },
    ],
    [
      "GET /v1/auth/tokens",
      (w) => request.get("/v1/auth/tokens", { headers: headers(w) }),
      { anonymous: 401, viewer: 200, owner: 200, operator: 200, otherOperator: 200 },
    ],
  ];

  // Order matters for the writes: denied callers first, so the allowed one acts last.
  const order: Who[] = ["anonymous", "viewer", "owner", "otherOperator", "operator"];
  for (const [operation, call, expected] of matrix) {
    const callers = operation.startsWith("DELETE") ? (["anonymous", "viewer", "owner", "operator", "otherOperator"] as Who[]) : order;
    for (const who of callers) {
      const body = await expectConforms(await call(who), operation, expected[who]);
      if (expected[who] === 403)
        expect(body, `${operation} as ${who}`).toMatchObject({ code: "permission_denied", reason: "insufficient_relation" });
    }
  }

  // A viewer's list shows none of the operators' Clouds; the second operator's shows both (platform admin).
  const viewerList = await (await request.get("/v1/clouds?limit=200", { headers: headers("viewer") })).json();
  expect(viewerList.items.map((c: { id: string }) => c.id)).not.toContain(cloud.id);

  // Cursors are bound to their caller and signed.
  const page = await (await request.get("/v1/clouds?limit=1", { headers: headers("operator") })).json();
  expect(page.next_cursor).toBeTruthy();
  await expectConforms(
    await request.get(`/v1/clouds?limit=1&cursor=${encodeURIComponent(page.next_cursor)}`, { headers: headers("otherOperator") }),
    "GET /v1/clouds",
    403,
  ).then((p) => expect(p.code).toBe("cursor_binding_mismatch"));
  // A cursor belongs to the list that minted it.
  await expectConforms(
    await request.get(`/v1/clouds/${cloud.id}/cloud-credentials?cursor=${encodeURIComponent(page.next_cursor)}`, {
      headers: headers("operator"),
    }),
    "GET /v1/clouds/{id}/cloud-credentials",
    400,
  ).then((p) => expect(p.code).toBe("invalid_cursor"));
  const [body, mac] = page.next_cursor.split(".");
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), p: "a" })).toString("base64url");
  await expectConforms(
    await request.get(`/v1/clouds?cursor=${forged}.${mac}`, { headers: headers("operator") }),
    "GET /v1/clouds",
    400,
  ).then((p) => expect(p.code).toBe("invalid_cursor"));
});

test("a cookie session may write only from the console's origin with the double-submit header", async ({ playwright, target }) => {
  const session = await playwright.request.newContext({ baseURL: target.baseURL });
  await signInWithPassword(session, cast.operator);
  const good = await csrfHeaders(session, target.baseURL);
  const create = (headers: Record<string, string>) => session.post("/v1/clouds", { headers, data: cloudBody(uniqueSlug("csrf")) });

  const attempts: [Record<string, string>, string][] = [
    [{}, "csrf_origin_mismatch"],
    [{ origin: good.origin }, "csrf_token_mismatch"],
    [{ ...good, origin: "https://evil.example" }, "csrf_origin_mismatch"],
    [{ ...good, origin: "http://evil.example", "x-forwarded-host": "evil.example" }, "csrf_origin_mismatch"],
    [{ ...good, "x-plexsphere-csrf": "guess" }, "csrf_token_mismatch"],
  ];
  for (const [headers, code] of attempts) {
    const response = await create(headers);
    expect(response.status(), JSON.stringify(headers)).toBe(403);
    expect((await response.json()).code).toBe(code);
  }
  expect((await create(good)).status()).toBe(201);
  await session.dispose();
});

/**
 * Probing ids: for every resource-by-id route, a caller with no relation to
 * the resource gets exactly what a random absent id gets (status, code,
 * detail and the body's members), so the answer says nothing about what
 * exists. Objects reached through a parent (credentials, assignments, member
 * tuples) answer 404 as for an absent id; objects gated on themselves
 * (Clouds, Projects, groups, IdP bindings, a Domain's people) answer 403 to
 * both, as the contract's "surfaced only after the authorisation gate" says.
 */
test("an outsider's answer on an existing id is the answer on an absent one, on every resource-by-id route", async ({
  playwright,
  request,
  target,
}) => {
  const session = await playwright.request.newContext({ baseURL: target.baseURL });
  const operator = await demoCaller(session, target, cast.operator);
  await session.dispose();
  const admin = await seededCaller(target, { label: "probe-admin", platformAdmin: true });
  const member = await seededCaller(target, { label: "probe-member" });
  const outsider = await seededCaller(target, { label: "probe-outsider" });
  const as = (caller: Caller) => ({ headers: caller.headers });
  const created = async (response: import("@playwright/test").APIResponse) => {
    expect(response.status(), await response.text()).toBeLessThan(300);
    return response.json();
  };
  const domainId = "00000000-0000-7000-8000-000000000001";

  const cloud = await created(await request.post("/v1/clouds", { ...as(operator), data: cloudBody(uniqueSlug("probe")) }));
  const credential = await created(
    await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      ...as(operator),
      data: { display_name: "probe", payload: b64("s"), allow_unusual_shape: true },
    }),
  );
  const project = await created(
    await request.post("/v1/projects", { ...as(operator), data: { domain_id: domainId, name: "Probe", slug: uniqueSlug("probe") } }),
  );
  const granted = await created(
    await request.post(`/v1/clouds/${cloud.id}/cloud-assignments`, { ...as(operator), data: { project_id: project.id } }),
  );
  const tuple = await created(
    await request.post(`/v1/authz/relation-tuples?project_id=${project.id}`, {
      ...as(operator),
      data: { subject: `user:${member.userId}`, relation: "deploy", resource: `project:${project.id}` },
    }),
  );
  const assignment = await created(
    await request.post(`/v1/projects/${project.id}/credential-assignments`, {
      ...as(member),
      data: { cloud_credential_id: credential.id },
    }),
  );
  const group = await created(
    await request.post("/v1/admin/groups", {
      ...as(admin),
      data: { domain_id: domainId, slug: uniqueSlug("probe"), display_name: "Probe", source: "manual" },
    }),
  );
  const invitation = await created(
    await request.post(`/v1/domains/${domainId}/invitations`, {
      ...as(admin),
      data: { external_subject: `probe-${uniqueSlug()}@example.com` },
    }),
  );
  const [{ id: memberToken }] = await query<{ id: string }>(target, "SELECT id FROM api_tokens WHERE user_id = $1", [member.userId]);
  // An inactive binding, so no sign-in page offers it.
  const bindingId = (
    await query<{ id: string }>(
      target,
      `INSERT INTO idp_bindings (id, alias, issuer, discovery_url, client_id, client_secret_ref, jit_policy, status)
       VALUES (gen_random_uuid(), $1, 'https://idp.example', 'https://idp.example/.well-known/openid-configuration', 'c',
       'plexsphere/idp-bindings/none', '{"mode":"deny"}', 'inactive') RETURNING id`,
      [uniqueSlug("probe")],
    )
  )[0].id;

  type Call = [method: "get" | "post" | "patch" | "delete", path: (id: string) => string, id: string, data?: object];
  const calls: Call[] = [
    ["get", (id) => `/v1/clouds/${id}`, cloud.id],
    ["patch", (id) => `/v1/clouds/${id}`, cloud.id, { display_name: "probed" }],
    ["delete", (id) => `/v1/clouds/${id}`, cloud.id],
    ["get", (id) => `/v1/clouds/${id}/cloud-credentials`, cloud.id],
    [
      "post",
      (id) => `/v1/clouds/${id}/cloud-credentials`,
      cloud.id,
      { display_name: "probe", payload: b64("s"), allow_unusual_shape: true },
    ],
    ["post", (id) => `/v1/clouds/${id}/cloud-assignments`, cloud.id, { project_id: project.id }],
    ["get", (id) => `/v1/cloud-credentials/${id}`, credential.id],
    ["patch", (id) => `/v1/cloud-credentials/${id}`, credential.id, { display_name: "probed" }],
    ["post", (id) => `/v1/cloud-credentials/${id}/revoke`, credential.id, { reason: "probe" }],
    [
      "post",
      (id) => `/v1/cloud-credentials/${id}/rotate`,
      credential.id,
      { expected_version: 1, payload: b64("t"), allow_unusual_shape: true },
    ],
    ["post", (id) => `/v1/cloud-credentials/${id}/validate`, credential.id],
    ["get", (id) => `/v1/projects/${id}`, project.id],
    ["patch", (id) => `/v1/projects/${id}`, project.id, { name: "probed" }],
    ["delete", (id) => `/v1/projects/${id}`, project.id],
    ["get", (id) => `/v1/projects/${id}/credential-assignments`, project.id],
    ["post", (id) => `/v1/projects/${id}/credential-assignments`, project.id, { cloud_credential_id: credential.id }],
    ["post", (id) => `/v1/credential-assignments/${id}/approve`, assignment.id],
    ["post", (id) => `/v1/credential-assignments/${id}/reject`, assignment.id, { reason: "probe" }],
    ["post", (id) => `/v1/credential-assignments/${id}/revoke`, assignment.id, { reason: "probe" }],
    ["post", (id) => `/v1/cloud-assignments/${id}/revoke`, granted.id, { reason: "probe" }],
    ["get", (id) => `/v1/approvals/${id}`, assignment.id],
    ["get", (id) => `/v1/approvals/${id}`, granted.id],
    ["post", (id) => `/v1/approvals/${id}/approve`, assignment.id],
    ["post", (id) => `/v1/approvals/${id}/reject`, assignment.id, { reason: "probe" }],
    ["post", (id) => `/v1/approvals/${id}/break-glass`, assignment.id, { reason: "probing the emergency door" }],
    [
      "patch",
      (id) => `/v1/authz/relation-tuples/${id}`,
      tuple.id,
      { subject: `user:${outsider.userId}`, relation: "manage", resource: `project:${project.id}` },
    ],
    ["delete", (id) => `/v1/authz/relation-tuples/${id}`, tuple.id],
    ["delete", (id) => `/v1/auth/tokens/${id}`, memberToken],
    ["post", (id) => `/v1/auth/tokens/${id}/rotate`, memberToken],
    ["get", (id) => `/v1/admin/groups/${id}`, group.id],
    ["patch", (id) => `/v1/admin/groups/${id}`, group.id, { display_name: "probed" }],
    ["delete", (id) => `/v1/admin/groups/${id}`, group.id],
    ["get", (id) => `/v1/admin/groups/${id}/members`, group.id],
    [
      "post",
      (id) => `/v1/admin/groups/${id}/members`,
      group.id,
      { principal_id: outsider.userId, principal_kind: "user", source: "manual" },
    ],
    ["get", (id) => `/v1/admin/idp/${id}`, bindingId],
    ["patch", (id) => `/v1/admin/idp/${id}`, bindingId, { client_id: "probed" }],
    ["delete", (id) => `/v1/admin/idp/${id}`, bindingId],
    ["patch", (id) => `/v1/admin/idp/${id}/status`, bindingId, { status: "active" }],
    ["get", (id) => `/v1/domains/${domainId}/invitations/${id}`, invitation.id],
    ["delete", (id) => `/v1/domains/${domainId}/invitations/${id}`, invitation.id],
    ["get", (id) => `/v1/domains/${domainId}/identities/${id}`, operator.userId],
  ];
  const answer = async ([method, path, id, data]: Call, target: string) => {
    const response = await request[method](path(target), { ...as(outsider), ...(data ? { data } : {}) });
    const body = await response.json().catch(() => ({}));
    return { status: response.status(), code: body.code, detail: body.detail, members: Object.keys(body).sort(), id };
  };
  for (const call of calls) {
    const existing = await answer(call, call[2]);
    const absent = await answer(call, randomUUID());
    const label = `${call[0].toUpperCase()} ${call[1]("{id}")}`;
    expect(existing.status, label).toBeGreaterThanOrEqual(400);
    expect({ status: existing.status, code: existing.code, detail: existing.detail, members: existing.members }, label).toEqual({
      status: absent.status,
      code: absent.code,
      detail: absent.detail,
      members: absent.members,
    });
  }

  // The same holds for an id in a body: a Project member asking for another Cloud's credential.
  const otherCloud = await created(await request.post("/v1/clouds", { ...as(admin), data: cloudBody(uniqueSlug("probe-other")) }));
  const foreign = await created(
    await request.post(`/v1/clouds/${otherCloud.id}/cloud-credentials`, {
      ...as(admin),
      data: { display_name: "foreign", payload: b64("f"), allow_unusual_shape: true },
    }),
  );
  const ask = async (credentialId: string) => {
    const response = await request.post(`/v1/projects/${project.id}/credential-assignments`, {
      ...as(member),
      data: { cloud_credential_id: credentialId },
    });
    const body = await response.json();
    return { status: response.status(), code: body.code, detail: body.detail, members: Object.keys(body).sort() };
  };
  expect(await ask(foreign.id)).toEqual(await ask(randomUUID()));

  // Someone who can see the object but lacks the relation still hears 403: that leaks nothing they do not know.
  const revokeAsObserver = await request.post(`/v1/cloud-credentials/${credential.id}/revoke`, {
    ...as(admin),
    data: { reason: "observer" },
  });
  expect(revokeAsObserver.status()).toBe(403);
  expect(await revokeAsObserver.json()).toMatchObject({ code: "permission_denied" });
  // And nothing the outsider tried took effect.
  expect((await request.get(`/v1/cloud-credentials/${credential.id}`, as(operator))).status()).toBe(200);
});
