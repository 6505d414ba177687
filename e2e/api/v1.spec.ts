import { readFileSync } from "node:fs";
import { countCanary, dumpDatabase, makeCanary } from "../../testing/canary";
import { cast, expect, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, demoCaller, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

test.describe("/v1 against the plexsphere catalog contract", () => {
  let operator: Caller;

  test.beforeEach(async ({ playwright, target, request }) => {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    operator = await demoCaller(session, target, cast.operator);
    await session.dispose();
    await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  });

  test("health and the generated OpenAPI document", async ({ request }) => {
    const health = await expectConforms(await request.get("/v1/health"), "GET /v1/health", 200);
    expect(health.status).toBe("ok");
    expect(health.checks.map((c: { name: string }) => c.name)).toEqual(["database", "secrets_engine"]);
    const doc = await expectConforms(await request.get("/v1/openapi.json"), "GET /v1/openapi.json", 200);
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.CloudCredentialIssueRequest.additionalProperties).toBe(false);
  });

  test("a Cloud's whole life: create, read, list with signed cursors, patch, refuse delete while it owns credentials", async ({
    request,
  }) => {
    const h = operator.headers;
    const slugs = [uniqueSlug("zz-api-a"), uniqueSlug("zz-api-b"), uniqueSlug("zz-api-c")];
    const created: { id: string; external_id: string }[] = [];
    for (const slug of slugs) {
      const response = await request.post("/v1/clouds", { headers: h, data: cloudBody(slug) });
      const cloud = await expectConforms(response, "POST /v1/clouds", 201);
      expect(response.headers()["location"]).toBe(`/v1/clouds/${cloud.id}`);
      created.push(cloud);
    }
    expect(await expectConforms(await request.get(`/v1/clouds/${created[0].id}`, { headers: h }), "GET /v1/clouds/{id}", 200)).toEqual(
      created[0],
    );

    await expectConforms(await request.post("/v1/clouds", { headers: h, data: cloudBody(slugs[0]) }), "POST /v1/clouds", 409).then((p) =>
      expect(p.code).toBe("cloud_slug_conflict"),
    );
    await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug(), { external_id: created[0].external_id }) }),
      "POST /v1/clouds",
      409,
    ).then((p) => expect(p.code).toBe("cloud_external_id_conflict"));
    await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug(), { provider: "digitalocean" }) }),
      "POST /v1/clouds",
      400,
    ).then((p) => expect(p.code).toBe("unknown_provider"));
    await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: { ...cloudBody(uniqueSlug()), extra: 1 } }),
      "POST /v1/clouds",
      400,
    ).then((p) => expect(p.code).toBe("invalid_body"));

    // Keyset pages of 1 walk the whole list in slug order.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await expectConforms(
        await request.get(`/v1/clouds?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { headers: h }),
        "GET /v1/clouds",
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((c: { slug: string }) => c.slug));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    for (const slug of slugs) expect(seen).toContain(slug);
    await expectConforms(await request.get("/v1/clouds?limit=0", { headers: h }), "GET /v1/clouds", 400).then((p) =>
      expect(p.code).toBe("invalid_limit"),
    );
    await expectConforms(await request.get("/v1/clouds?limit=201", { headers: h }), "GET /v1/clouds", 400).then((p) =>
      expect(p.code).toBe("invalid_limit"),
    );

    const patched = await expectConforms(
      await request.patch(`/v1/clouds/${created[0].id}`, {
        headers: h,
        data: { display_name: "Renamed", endpoint: { url: "https://a.example" } },
      }),
      "PATCH /v1/clouds/{id}",
      200,
    );
    expect(patched).toMatchObject({ display_name: "Renamed", endpoint: { url: "https://a.example" }, slug: slugs[0] });
    for (const [data, code] of [
      [{ slug: "other" }, "slug_immutable"],
      [{ provider: "azure" }, "provider_immutable"],
      [{}, "empty_patch"],
    ] as const) {
      await expectConforms(await request.patch(`/v1/clouds/${created[0].id}`, { headers: h, data }), "PATCH /v1/clouds/{id}", 400).then(
        (p) => expect(p.code).toBe(code),
      );
    }

    await expectConforms(
      await request.post(`/v1/clouds/${created[1].id}/cloud-credentials`, {
        headers: h,
        data: { display_name: "keeps it", payload: b64("s"), allow_unusual_shape: true },
      }),
      "POST /v1/clouds/{id}/cloud-credentials",
      201,
    );
    const notEmpty = await expectConforms(
      await request.delete(`/v1/clouds/${created[1].id}`, { headers: h }),
      "DELETE /v1/clouds/{id}",
      409,
    );
    expect(notEmpty.code).toBe("cloud_not_empty");
    expect(notEmpty.cloud_child_counts).toEqual({ cloud_credentials: 1, cloud_credential_usages: 0 });
    await expectConforms(await request.delete(`/v1/clouds/${created[2].id}`, { headers: h }), "DELETE /v1/clouds/{id}", 204);
    // The operator observes every Cloud as a platform admin, so a deleted one is simply not found.
    await expectConforms(await request.get(`/v1/clouds/${created[2].id}`, { headers: h }), "GET /v1/clouds/{id}", 404).then((p) =>
      expect(p.code).toBe("cloud_not_found"),
    );
  });

  test("a Cloud Credential's life: issue, read, list in creation order, revoke idempotently; no secret in any answer, log or table", async ({
    request,
    target,
  }) => {
    const h = operator.headers;
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
      "POST /v1/clouds",
      201,
    );
    const canary = makeCanary();
    const bodies: string[] = [];
    const issued: { id: string }[] = [];
    for (const name of ["first", "second", "third"]) {
      const response = await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
        headers: h,
        data: { display_name: name, payload: b64(`${canary}-${name}`), allow_unusual_shape: true, key_values: { role_arn: canary } },
      });
      bodies.push(await response.text());
      const credential = await expectConforms(response, "POST /v1/clouds/{id}/cloud-credentials", 201);
      expect(response.headers()["location"]).toBe(`/v1/cloud-credentials/${credential.id}`);
      expect(credential).toMatchObject({ cloud_id: cloud.id, display_name: name, version: 1, status: "active" });
      expect(Object.keys(credential).sort()).toEqual([
        "cloud_id",
        "created_at",
        "display_name",
        "expires_at",
        "id",
        "status",
        "updated_at",
        "version",
      ]);
      issued.push(credential);
    }
    const read = await request.get(`/v1/cloud-credentials/${issued[0].id}`, { headers: h });
    bodies.push(await read.text());
    expect(await expectConforms(read, "GET /v1/cloud-credentials/{id}", 200)).toEqual(issued[0]);

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await request.get(
        `/v1/clouds/${cloud.id}/cloud-credentials?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { headers: h },
      );
      bodies.push(await response.text());
      const page = await expectConforms(response, "GET /v1/clouds/{id}/cloud-credentials", 200);
      ids.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(ids).toEqual(issued.map((c) => c.id));

    const revoke = () => request.post(`/v1/cloud-credentials/${issued[0].id}/revoke`, { headers: h, data: { reason: "rotated out" } });
    const revoked = await expectConforms(await revoke(), "POST /v1/cloud-credentials/{id}/revoke", 200);
    expect(revoked.status).toBe("revoked");
    expect(await expectConforms(await revoke(), "POST /v1/cloud-credentials/{id}/revoke", 200)).toEqual(revoked);
    await expectConforms(
      await request.post(`/v1/cloud-credentials/${issued[1].id}/revoke`, { headers: h, data: { reason: "   " } }),
      "POST /v1/cloud-credentials/{id}/revoke",
      400,
    ).then((p) => expect(p.code).toBe("invalid_revoke_reason"));
    await expectConforms(
      await request.get(`/v1/cloud-credentials/00000000-0000-4000-8000-000000000000`, { headers: h }),
      "GET /v1/cloud-credentials/{id}",
      404,
    ).then((p) => expect(p.code).toBe("cloud_credential_not_found"));

    const log = readFileSync(target.serverLog, "utf8");
    const dump = await dumpDatabase(target.databaseUrl);
    expect(log).toContain(issued[0].id);
    expect(dump).toContain("rotated out");
    expect(countCanary(bodies.join("\n"), canary)).toBe(0);
    expect(countCanary(log, canary)).toBe(0);
    expect(countCanary(dump, canary)).toBe(0);
  });

  test("rotate (compare-and-set on the version) and metadata edits, beyond the contract", async ({ request }) => {
    const h = operator.headers;
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
      "POST /v1/clouds",
      201,
    );
    const issued = await expectConforms(
      await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
        headers: h,
        data: { display_name: "r", payload: b64("one"), allow_unusual_shape: true },
      }),
      "POST /v1/clouds/{id}/cloud-credentials",
      201,
    );
    const rotate = (data: object) => request.post(`/v1/cloud-credentials/${issued.id}/rotate`, { headers: h, data });
    const op = "POST /v1/cloud-credentials/{id}/rotate";
    const rotated = await expectConforms(await rotate({ expected_version: 1, payload: b64("two"), allow_unusual_shape: true }), op, 200);
    expect(rotated).toMatchObject({ id: issued.id, version: 2, status: "active" });
    await expectConforms(await rotate({ expected_version: 1, payload: b64("stale"), allow_unusual_shape: true }), op, 409).then((p) =>
      expect(p.code).toBe("credential_cas_conflict"),
    );
    await expectConforms(await rotate({ expected_version: 2, payload: "" }), op, 400).then((p) => expect(p.code).toBe("invalid_payload"));
    await expectConforms(await rotate({ expected_version: 2, payload: b64("x"), allow_unusual_shape: true, extra: true }), op, 400).then(
      (p) => expect(p.code).toBe("invalid_body"),
    );

    const patched = await expectConforms(
      await request.patch(`/v1/cloud-credentials/${issued.id}`, { headers: h, data: { display_name: "renamed" } }),
      "PATCH /v1/cloud-credentials/{id}",
      200,
    );
    expect(patched).toMatchObject({ display_name: "renamed", version: 2 });
    await expectConforms(
      await request.patch(`/v1/cloud-credentials/${issued.id}`, { headers: h, data: { expires_at: "2999-01-01T00:00:00Z" } }),
      "PATCH /v1/cloud-credentials/{id}",
      400,
    ).then((p) => expect(p.code).toBe("invalid_expiry"));

    const validation = await expectConforms(
      await request.post(`/v1/cloud-credentials/${issued.id}/validate`, { headers: h }),
      "POST /v1/cloud-credentials/{id}/validate",
      200,
    );
    expect(validation).toMatchObject({ valid: false, provider: "aws" });
    expect(JSON.stringify(validation)).not.toContain("two");

    await request.post(`/v1/cloud-credentials/${issued.id}/revoke`, { headers: h, data: { reason: "done" } });
    await expectConforms(await rotate({ expected_version: 2, payload: b64("after revoke"), allow_unusual_shape: true }), op, 409).then(
      (p) => expect(p.code).toBe("credential_revoked"),
    );
  });

  test("issue input errors are problems with the contract's codes, and change nothing", async ({ request }) => {
    const h = operator.headers;
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
      "POST /v1/clouds",
      201,
    );
    const issue = (data: unknown, headers: Record<string, string> = {}) =>
      request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: { ...h, ...headers }, data: data as object });
    const op = "POST /v1/clouds/{id}/cloud-credentials";
    for (const [data, code] of [
      [{ display_name: "  ", payload: b64("s"), allow_unusual_shape: true }, "invalid_display_name"],
      [{ display_name: "n", payload: "" }, "invalid_payload"],
      [{ display_name: "n", payload: "not base64!" }, "invalid_payload"],
      [{ display_name: "n", payload: b64("x".repeat(4097)), allow_unusual_shape: true }, "invalid_payload"],
      [{ display_name: "n", payload: b64("s"), allow_unusual_shape: true, kv: {} }, "invalid_body"],
      [{ display_name: "n" }, "invalid_body"],
      [{ display_name: "n", payload: b64("s"), allow_unusual_shape: true, key_values: { "bad key": "v" } }, "invalid_body"],
      [[1, 2], "invalid_body"],
    ] as const) {
      await expectConforms(await issue(data), op, 400).then((p) => expect(p.code, JSON.stringify(data)).toBe(code));
    }
    await expectConforms(await issue({ display_name: "n", payload: b64("x".repeat(4096)), allow_unusual_shape: true }), op, 201);
    await expectConforms(await issue("{not json", { "content-type": "application/json" }), op, 400).then((p) =>
      expect(p.code).toBe("invalid_body"),
    );
    const plain = await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: { ...h, "content-type": "text/plain" },
      data: "x",
    });
    await expectConforms(plain, op, 415);
    const list = await expectConforms(
      await request.get(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: h }),
      "GET /v1/clouds/{id}/cloud-credentials",
      200,
    );
    expect(list.items).toHaveLength(1);
  });

  test("unknown routes, wrong methods and missing auth are problems too", async ({ request }) => {
    const notFound = await request.get("/v1/no-such-thing", { headers: operator.headers });
    expect(notFound.status()).toBe(404);
    expect(notFound.headers()["content-type"]).toMatch(/^application\/problem\+json/);
    expect((await notFound.json()).code).toBe("not_found");
    const wrongMethod = await request.put("/v1/clouds", { headers: operator.headers, data: {} });
    expect(wrongMethod.status()).toBe(405);
    expect(wrongMethod.headers()["allow"]).toBe("GET, POST");
    expect((await wrongMethod.json()).code).toBe("method_not_allowed");
    await expectConforms(await request.get("/v1/clouds"), "GET /v1/clouds", 401).then((p) => expect(p.code).toBe("unauthenticated"));
    await expectConforms(await request.get("/v1/clouds", { headers: { authorization: "Bearer psk_dev_forged" } }), "GET /v1/clouds", 401);
    await expectConforms(await request.get("/v1/clouds/not-a-uuid", { headers: operator.headers }), "GET /v1/clouds/{id}", 400).then((p) =>
      expect(p.code).toBe("invalid_cloud_id"),
    );
  });

  test("API tokens: issued once, listed without plaintext, rotated with a Sunset grace, revoked at once", async ({ request }) => {
    const h = operator.headers;
    const whoami = await expectConforms(await request.get("/v1/auth/whoami", { headers: h }), "GET /v1/auth/whoami", 200);
    expect(whoami).toMatchObject({ principal_type: "user", subject: operator.userId, email: cast.operator });
    const issued = await expectConforms(
      await request.post("/v1/auth/tokens", {
        headers: h,
        data: { identity_ref: `user:${operator.userId}`, env_prefix: "prod", ttl_seconds: 3600 },
      }),
      "POST /v1/auth/tokens",
      201,
    );
    expect(issued.plaintext).toMatch(/^psk_prod_[A-Za-z0-9_-]{43}$/);
    const list = await expectConforms(await request.get("/v1/auth/tokens", { headers: h }), "GET /v1/auth/tokens", 200);
    expect(JSON.stringify(list)).not.toContain(issued.plaintext);
    expect(list.map((t: { id: string }) => t.id)).toContain(issued.id);
    await expectConforms(
      await request.post("/v1/auth/tokens", {
        headers: h,
        data: { identity_ref: "user:00000000-0000-4000-8000-000000000000", env_prefix: "dev" },
      }),
      "POST /v1/auth/tokens",
      403,
    );

    const mine = { authorization: `Bearer ${issued.plaintext}` };
    const rotation = await request.post(`/v1/auth/tokens/${issued.id}/rotate`, { headers: mine });
    const rotated = await expectConforms(rotation, "POST /v1/auth/tokens/{id}/rotate", 200);
    expect(rotation.headers()["sunset"]).toBe(new Date(rotated.rotation_deadline).toUTCString());
    expect(rotated.plaintext).not.toBe(issued.plaintext);
    // The rotated-out plaintext still calls the API during its grace, but cannot mint or rotate tokens.
    await expectConforms(
      await request.post("/v1/auth/tokens", { headers: mine, data: { identity_ref: `user:${operator.userId}`, env_prefix: "prod" } }),
      "POST /v1/auth/tokens",
      403,
    );
    expect((await request.post(`/v1/auth/tokens/${issued.id}/rotate`, { headers: mine })).status()).toBe(403);
    // Both plaintexts work until the Sunset; after revocation neither does.
    expect((await request.get("/v1/auth/whoami", { headers: mine })).status()).toBe(200);
    expect((await request.get("/v1/auth/whoami", { headers: { authorization: `Bearer ${rotated.plaintext}` } })).status()).toBe(200);
    await expectConforms(await request.delete(`/v1/auth/tokens/${issued.id}`, { headers: h }), "DELETE /v1/auth/tokens/{id}", 204);
    await expectConforms(await request.delete(`/v1/auth/tokens/${issued.id}`, { headers: h }), "DELETE /v1/auth/tokens/{id}", 404);
    for (const plaintext of [issued.plaintext, rotated.plaintext]) {
      expect((await request.get("/v1/auth/whoami", { headers: { authorization: `Bearer ${plaintext}` } })).status()).toBe(401);
    }
  });

  test("the audit trail over /v1: platform admins read it filtered and paged; a denial's correlation id is in it", async ({
    request,
    playwright,
    target,
  }) => {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    const viewer = await demoCaller(session, target, cast.viewer);
    await session.dispose();
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug()) }),
      "POST /v1/clouds",
      201,
    );
    const denied = await expectConforms(
      await request.get(`/v1/clouds/${cloud.id}`, { headers: viewer.headers }),
      "GET /v1/clouds/{id}",
      403,
    );

    const op = "GET /v1/audit/entries";
    const page = await expectConforms(
      await request.get(`/v1/audit/entries?cloud_id=${cloud.id}&limit=1`, { headers: operator.headers }),
      op,
      200,
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      action: "cloud#observe",
      outcome: "denied",
      actor_id: viewer.userId,
      correlation_id: denied.correlation_id,
    });
    const next = await expectConforms(
      await request.get(`/v1/audit/entries?cloud_id=${cloud.id}&limit=10&cursor=${encodeURIComponent(page.next_cursor)}`, {
        headers: operator.headers,
      }),
      op,
      200,
    );
    expect(next.items.map((e: { action: string }) => e.action)).toEqual(["relation.grant", "cloud.create"]);
    await expectConforms(
      await request.get(`/v1/audit/entries?action=cloud.create&since=2000-01-01`, { headers: operator.headers }),
      op,
      200,
    );
    await expectConforms(await request.get("/v1/audit/entries?cloud_id=nope", { headers: operator.headers }), op, 400).then((p) =>
      expect(p.code).toBe("invalid_filter"),
    );
    await expectConforms(await request.get("/v1/audit/entries", { headers: viewer.headers }), op, 403);
  });

  test("authz/check answers about Clouds and the platform, and refuses malformed questions", async ({ request }) => {
    const h = operator.headers;
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
      "POST /v1/clouds",
      201,
    );
    const ask = (relation: string, resource: string, subject = `user:${operator.userId}`) =>
      request.post("/v1/authz/check", { headers: h, data: { subject, relation, resource } });
    expect(await expectConforms(await ask("manage", `cloud:${cloud.id}`), "POST /v1/authz/check", 200)).toMatchObject({
      decision: "allowed",
    });
    expect(
      await expectConforms(await ask("manage", "cloud:00000000-0000-4000-8000-000000000000"), "POST /v1/authz/check", 200),
    ).toMatchObject({
      decision: "denied",
      reason: "insufficient_relation",
    });
    expect(await expectConforms(await ask("manage", "platform:plexsphere"), "POST /v1/authz/check", 200)).toMatchObject({
      decision: "allowed",
    });
    await expectConforms(await ask("fly", `cloud:${cloud.id}`), "POST /v1/authz/check", 400);
    for (const [relation, resource] of [
      ["constructor", `cloud:${cloud.id}`],
      ["__proto__", `cloud:${cloud.id}`],
      ["observe", "toString:x"],
      ["observe", "cloud:a\u0000b"],
      ["observe", "platform:elsewhere"],
    ]) {
      await expectConforms(await ask(relation, resource), "POST /v1/authz/check", 400);
    }
    // About somebody else: the same question, answered as data (the contract declares no 403 here).
    expect(
      await expectConforms(
        await ask("manage", `cloud:${cloud.id}`, "user:00000000-0000-4000-8000-000000000000"),
        "POST /v1/authz/check",
        200,
      ),
    ).toMatchObject({
      decision: "denied",
    });
    for (const subject of ["service:00000000-0000-4000-8000-000000000000", "user:nope", `user:${operator.userId}:x`]) {
      await expectConforms(await ask("manage", `cloud:${cloud.id}`, subject), "POST /v1/authz/check", 400).then((p) =>
        expect(p.code).toBe("invalid_check_request"),
      );
    }
  });
});
