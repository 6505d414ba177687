import assert from "node:assert/strict";
import { before, test } from "node:test";
import { startDiscoveryServer } from "../testing/discovery-server";
import { baseUrl, clients, signIn, signInCast, type Cast } from "./harness";

/**
 * Issue 23: what the newest plexsphere SDK (50f9aff) decodes differently
 * from the June subsets, called through generated clients of both
 * generations. contract/conformance.ts validates each answer against the
 * June schema and the newer fragment (contract/newer/*.yaml) where both
 * define the operation, and every problem against the newest Problem
 * (correlation_id, echoed in X-Correlation-Id); the asserts here add what a
 * schema cannot say.
 */
let people: Cast;
let domainId: string;

before(async () => {
  people = await signInCast();
  domainId = (await people.operator.catalog.GET("/v1/auth/whoami")).data!.domain_id!;
});

const NOWHERE = "0190a8b8-a0c0-7a0a-8a0a-a0a0a0a0a0a1";

test("every problem carries correlation_id, the same in X-Correlation-Id, one per request", async () => {
  const anonymous = clients({});
  const { catalog } = people.viewer;
  const answers = [
    await anonymous.catalog.GET("/v1/clouds"),
    await catalog.GET("/v1/clouds/{id}", { params: { path: { id: "not-a-uuid" } } }),
    await people.operator.catalog.GET("/v1/clouds/{id}", { params: { path: { id: NOWHERE } } }),
    await catalog.POST("/v1/clouds", {
      body: { display_name: "Nope", slug: `nope-${Date.now()}`, provider: "aws", endpoint: {}, region_defaults: {}, external_id: "x" },
    }),
  ];
  assert.deepEqual(
    answers.map((a) => a.response.status),
    [401, 400, 404, 403],
  );
  const ids = answers.map((a) => (a.error as { correlation_id?: string }).correlation_id);
  for (const [i, answer] of answers.entries()) assert.equal(answer.response.headers.get("x-correlation-id"), ids[i]);
  assert.equal(new Set(ids).size, ids.length, "one id per request");
});

test("renamed codes: device approval, CSRF, IdP bindings and relation tuples answer the newest spelling; source-conflict keeps its hyphen", async () => {
  const { operator, viewer } = people;
  const unknown = await viewer.identity.POST("/v1/auth/device/approve", { body: { user_code: "ZZZZ-ZZZZ" } });
  assert.equal(unknown.error?.code, "device_code_not_found");
  const started = await clients({}).newer.identity.POST("/v1/auth/device-code", { body: { client_id: "contract" } });
  assert.equal(started.response.status, 200, JSON.stringify(started.error));
  assert.equal(
    (await viewer.identity.POST("/v1/auth/device/approve", { body: { user_code: started.data!.user_code } })).response.status,
    200,
  );
  const twice = await viewer.identity.POST("/v1/auth/device/approve", { body: { user_code: started.data!.user_code } });
  assert.equal(twice.error?.code, "device_code_already_approved");

  // A browser's write without the double-submit header, then from a foreign page.
  const session = await signIn("viewer@example.com");
  const whoami = await clients({ cookie: session.cookieHeader() }).catalog.GET("/v1/auth/whoami");
  for (const line of whoami.response.headers.getSetCookie()) {
    const [name, value] = line.split(";")[0].split("=");
    session.jar.set(name, value);
  }
  const project = { domain_id: domainId, name: "CSRF", slug: `csrf-${Date.now()}` };
  const noHeader = await clients({ cookie: session.cookieHeader(), origin: new URL(baseUrl).origin }).catalog.POST("/v1/projects", {
    body: project,
  });
  assert.equal(noHeader.error?.code, "csrf_token_mismatch");
  const foreign = await clients({
    cookie: session.cookieHeader(),
    origin: "https://evil.example",
    "X-Plexsphere-CSRF": session.jar.get("plexsphere_csrf")!,
  }).catalog.POST("/v1/projects", { body: project });
  assert.equal(foreign.error?.code, "csrf_origin_mismatch");

  const missing = await operator.identity.GET("/v1/admin/idp/{id}", { params: { path: { id: NOWHERE } } });
  assert.equal(missing.error?.code, "binding_not_found");
  const idps = await startDiscoveryServer();
  try {
    const created = await operator.identity.POST("/v1/admin/idp", {
      body: {
        domain_id: domainId,
        issuer: idps.issuer("renamed"),
        client_id: "c",
        client_secret: "s",
        jit_policy: "allow",
        alias: `renamed-${Date.now()}`,
      } as never,
    });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    const badPolicy = await operator.identity.PATCH("/v1/admin/idp/{id}", {
      params: { path: { id: created.data!.id } },
      body: { jit_policy: "sometimes" } as never,
    });
    assert.equal(badPolicy.error?.code, "invalid_jit_policy");
    const sameIssuer = await operator.identity.POST("/v1/admin/idp", {
      body: {
        domain_id: domainId,
        issuer: idps.issuer("renamed"),
        client_id: "c",
        client_secret: "s",
        jit_policy: "allow",
        alias: `again-${Date.now()}`,
      } as never,
    });
    assert.equal(sameIssuer.error?.code, "binding_conflict");
    assert.equal(
      (await operator.identity.DELETE("/v1/admin/idp/{id}", { params: { path: { id: created.data!.id } } })).response.status,
      204,
    );
  } finally {
    await idps.stop();
  }

  const group = await operator.identity.POST("/v1/admin/groups", {
    body: { domain_id: domainId, slug: `renamed-${Date.now()}`, display_name: "Renamed", source: "manual" },
  });
  const fromIdp = await operator.identity.POST("/v1/admin/groups/{id}/members", {
    params: { path: { id: group.data!.id } },
    body: { principal_id: viewer.id, principal_kind: "user", source: "idp" },
  });
  assert.equal(fromIdp.error?.code, "source-conflict");
  await operator.identity.DELETE("/v1/admin/groups/{id}", { params: { path: { id: group.data!.id } } });

  const created = await operator.catalog.POST("/v1/projects", {
    body: { domain_id: domainId, name: "Triples", slug: `triples-${Date.now()}` },
  });
  const projectId = created.data!.id;
  const tuple = (body: { subject: string; relation: string; resource: string }) =>
    operator.catalog.POST("/v1/authz/relation-tuples", { params: { query: { project_id: projectId } }, body });
  for (const body of [
    { subject: `user:${viewer.id}`, relation: "owner", resource: `project:${projectId}` },
    { subject: "robot:r2d2", relation: "deploy", resource: `project:${projectId}` },
    { subject: `user:${NOWHERE}`, relation: "deploy", resource: `project:${projectId}` },
    { subject: `user:${viewer.id}`, relation: "deploy", resource: `project:${NOWHERE}` },
  ]) {
    const refused = await tuple(body);
    assert.equal(refused.error?.code, "invalid_triple", JSON.stringify(body));
  }
  const granted = await tuple({ subject: `user:${viewer.id}`, relation: "deploy", resource: `project:${projectId}` });
  const replaced = await operator.catalog.PATCH("/v1/authz/relation-tuples/{id}", {
    params: { path: { id: granted.data!.id } },
    body: { subject: `user:${viewer.id}`, relation: "observe", resource: `project:${projectId}` },
  });
  assert.equal(replaced.error?.code, "invalid_triple");
});

test('Domains: mesh_cidr is a canonical CIDR or absent, never ""; a malformed id is invalid_domain_id', async () => {
  const { identity } = people.viewer;
  const list = await identity.GET("/v1/domains");
  assert.equal(list.response.status, 200);
  const one = await identity.GET("/v1/domains/{id}", { params: { path: { id: domainId } } });
  for (const domain of [...list.data!.items, one.data!]) assert.notEqual((domain as { mesh_cidr?: string }).mesh_cidr, "");
  for (const answer of [
    await identity.GET("/v1/domains/{id}", { params: { path: { id: "not-a-uuid" } } }),
    await identity.DELETE("/v1/domains/{id}", { params: { path: { id: "not-a-uuid" } } }),
  ]) {
    assert.equal(answer.response.status, 400);
    assert.equal(answer.error?.code, "invalid_domain_id");
  }
});

test("a credential request naming both the credential and the Cloud is ambiguous_credential_target; neither is invalid_body", async () => {
  const { operator } = people;
  const project = (
    await operator.catalog.POST("/v1/projects", { body: { domain_id: domainId, name: "Ambiguous", slug: `amb-${Date.now()}` } })
  ).data!;
  const cloud = (
    await operator.catalog.POST("/v1/clouds", {
      body: {
        display_name: "Ambiguous",
        slug: `amb-${Date.now()}`,
        provider: "aws",
        endpoint: {},
        region_defaults: {},
        external_id: `amb-${Date.now()}`,
      },
    })
  ).data!;
  const credential = (
    await operator.catalog.POST("/v1/clouds/{id}/cloud-credentials", {
      params: { path: { id: cloud.id } },
      body: { display_name: "amb", payload: Buffer.from('{"access_key_id":"AKIAEXAMPLE","secret_access_key":"x"}').toString("base64") },
    })
  ).data!;
  // The owner asks (project#manage includes deploy), as in the two-party flow.
  const member = await operator.catalog.POST("/v1/authz/relation-tuples", {
    params: { query: { project_id: project.id } },
    body: { subject: `user:${people.owner.id}`, relation: "manage", resource: `project:${project.id}` },
  });
  assert.equal(member.response.status, 201, JSON.stringify(member.error));
  const ask = (body: { cloud_credential_id?: string; cloud_id?: string }) =>
    people.owner.catalog.POST("/v1/projects/{id}/credential-assignments", { params: { path: { id: project.id } }, body });
  assert.equal((await ask({ cloud_credential_id: credential.id, cloud_id: cloud.id })).error?.code, "ambiguous_credential_target");
  assert.equal((await ask({})).error?.code, "invalid_body");
});

test("the sign-in chooser: domain_id is optional, scope=platform lists the platform-shared bindings (and wins), neither is []", async () => {
  const anonymous = clients({}).newer.identity;
  const { operator } = people;
  const idps = await startDiscoveryServer();
  try {
    const shared = await operator.identity.POST("/v1/admin/platform-idp", {
      body: {
        issuer: idps.issuer("chooser-platform"),
        client_id: "c",
        client_secret: "s",
        jit_policy: "deny",
        alias: `chooser-p-${Date.now()}`,
      } as never,
    });
    const own = await operator.identity.POST("/v1/admin/idp", {
      body: {
        domain_id: domainId,
        issuer: idps.issuer("chooser-domain"),
        client_id: "c",
        client_secret: "s",
        jit_policy: "deny",
        alias: `chooser-d-${Date.now()}`,
      } as never,
    });
    assert.equal(shared.response.status, 201, JSON.stringify(shared.error));
    assert.equal(own.response.status, 201, JSON.stringify(own.error));

    const neither = await anonymous.GET("/v1/auth/idp-bindings");
    assert.deepEqual(neither.data, []);
    for (const query of [{ scope: "platform" as const }, { scope: "platform" as const, domain_id: domainId }]) {
      const platform = (await anonymous.GET("/v1/auth/idp-bindings", { params: { query } })).data!;
      assert.ok(platform.some((b) => b.id === shared.data!.id));
      assert.ok(
        platform.every((b) => b.platform_scoped),
        JSON.stringify(platform),
      );
    }
    const byDomain = (await anonymous.GET("/v1/auth/idp-bindings", { params: { query: { domain_id: domainId } } })).data!;
    assert.ok(byDomain.some((b) => b.id === own.data!.id));
    const other = await anonymous.GET("/v1/auth/idp-bindings", { params: { query: { domain_id: NOWHERE } } });
    assert.deepEqual(other.data, []);
    for (const id of [shared.data!.id, own.data!.id]) await operator.identity.DELETE("/v1/admin/idp/{id}", { params: { path: { id } } });
  } finally {
    await idps.stop();
  }
});

test("a device login may start without domain_id (the newest DeviceCodeRequest); its lifetimes are at least 1", async () => {
  const started = await clients({}).newer.identity.POST("/v1/auth/device-code", { body: { client_id: "contract-newer" } });
  assert.equal(started.response.status, 200, JSON.stringify(started.error));
  assert.ok(started.data!.expires_in >= 1 && started.data!.interval >= 1);
});
