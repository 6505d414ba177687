import { cast, expect, test, uniqueSlug } from "../fixtures";
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
    await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: headers("operator"), data: { display_name: "c", payload: b64("s"), allow_unusual_shape: true } })
  ).json();
  expect(cloud.id && otherCloud.id && credential.id).toBeTruthy();

  // [operation, how to call it, expected status per caller]
  const matrix: [string, (who: Who) => Promise<import("@playwright/test").APIResponse>, Record<Who, number>][] = [
    ["GET /v1/clouds/{id}", (w) => request.get(`/v1/clouds/${cloud.id}`, { headers: headers(w) }), { anonymous: 401, viewer: 403, owner: 403, operator: 200, otherOperator: 200 }],
    [
      "GET /v1/clouds/{id}/cloud-credentials",
      (w) => request.get(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: headers(w) }),
      { anonymous: 401, viewer: 403, owner: 403, operator: 200, otherOperator: 200 },
    ],
    [
      "GET /v1/cloud-credentials/{id}",
      (w) => request.get(`/v1/cloud-credentials/${credential.id}`, { headers: headers(w) }),
      { anonymous: 401, viewer: 403, owner: 403, operator: 200, otherOperator: 200 },
    ],
    [
      "POST /v1/clouds/{id}/cloud-credentials",
      (w) => request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: headers(w), data: { display_name: `by ${w}`, payload: b64("s"), allow_unusual_shape: true } }),
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
      { anonymous: 401, viewer: 403, owner: 403, otherOperator: 403, operator: 200 },
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
    ["GET /v1/clouds", (w) => request.get("/v1/clouds", { headers: headers(w) }), { anonymous: 401, viewer: 200, owner: 200, operator: 200, otherOperator: 200 }],
    ["GET /v1/auth/whoami", (w) => request.get("/v1/auth/whoami", { headers: headers(w) }), { anonymous: 401, viewer: 200, owner: 200, operator: 200, otherOperator: 200 }],
    ["GET /v1/auth/tokens", (w) => request.get("/v1/auth/tokens", { headers: headers(w) }), { anonymous: 401, viewer: 200, owner: 200, operator: 200, otherOperator: 200 }],
  ];

  // Order matters for the writes: denied callers first, so the allowed one acts last.
  const order: Who[] = ["anonymous", "viewer", "owner", "otherOperator", "operator"];
  for (const [operation, call, expected] of matrix) {
    const callers = operation.startsWith("DELETE") ? (["anonymous", "viewer", "owner", "operator", "otherOperator"] as Who[]) : order;
    for (const who of callers) {
      const body = await expectConforms(await call(who), operation, expected[who]);
      if (expected[who] === 403) expect(body, `${operation} as ${who}`).toMatchObject({ code: "permission_denied", reason: "insufficient_relation" });
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
    await request.get(`/v1/clouds/${cloud.id}/cloud-credentials?cursor=${encodeURIComponent(page.next_cursor)}`, { headers: headers("operator") }),
    "GET /v1/clouds/{id}/cloud-credentials",
    400,
  ).then((p) => expect(p.code).toBe("invalid_cursor"));
  const [body, mac] = page.next_cursor.split(".");
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), p: "a" })).toString("base64url");
  await expectConforms(await request.get(`/v1/clouds?cursor=${forged}.${mac}`, { headers: headers("operator") }), "GET /v1/clouds", 400).then((p) =>
    expect(p.code).toBe("invalid_cursor"),
  );
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
