import assert from "node:assert/strict";
import { before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startDiscoveryServer } from "../testing/discovery-server";
import { baseUrl, clients, signIn, signInCast, type Cast, type Schemas } from "./harness";

/**
 * Drives our /v1 with clients generated from the plexsphere v1 reference
 * contract (openapi-typescript types + openapi-fetch), as a user of those
 * SDKs would: the seeds' flow (find demo-cloud, issue a credential, read it
 * back), the two-party assignment (request, approve without a body, reject,
 * revoke), an authz check on a Project, and every other operation of the
 * contract we serve. Every answer must decode as the contract's type, June's
 * and, where contract/newer defines the operation, the newest's too
 * (contract/conformance.ts). Started by scripts/test-contract.mjs, which
 * generates the types and the server.
 */
let people: Cast;

before(async () => {
  people = await signInCast();
});

const state: { cloudId?: string; credentialId?: string; projectId?: string; domainId?: string } = {};

test("health, the OpenAPI document, whoami and the Domain", async () => {
  const { catalog, identity } = people.operator;
  assert.equal((await catalog.GET("/v1/health")).data?.status, "ok");
  assert.equal((await catalog.GET("/v1/openapi.json")).response.status, 200);
  const whoami: Schemas["Whoami"] = (await catalog.GET("/v1/auth/whoami")).data!;
  assert.equal(whoami.principal_type, "user");
  assert.ok(whoami.domain_id, "whoami names the caller's Domain");

  const domains = (await identity.GET("/v1/domains")).data!;
  assert.deepEqual(
    domains.items?.map((d) => d.id),
    [whoami.domain_id],
  );
  const domain = (await identity.GET("/v1/domains/{id}", { params: { path: { id: whoami.domain_id! } } })).data!;
  assert.equal(domain.id, whoami.domain_id);
  const missing = await identity.GET("/v1/domains/{id}", { params: { path: { id: "0190a8b8-a0c0-7a0a-8a0a-a0a0a0a0a0a1" } } });
  assert.equal(missing.error?.code, "domain_not_found");
  state.domainId = whoami.domain_id;
});

test("the seeds' flow: find demo-cloud, issue a credential, read it and list it", async () => {
  const { catalog } = people.operator;
  const findDemo = async () => {
    let cursor: string | undefined;
    for (;;) {
      const page: Schemas["CloudList"] = (await catalog.GET("/v1/clouds", { params: { query: { limit: 1, cursor } } })).data!;
      const hit = page.items.find((c) => c.slug === "demo-cloud");
      if (hit) return hit;
      if (!page.next_cursor) return undefined;
      cursor = page.next_cursor;
    }
  };
  let demo = await findDemo();
  if (!demo) {
    const created = await catalog.POST("/v1/clouds", {
      body: {
        display_name: "Demo Cloud",
        slug: "demo-cloud",
        provider: "aws",
        endpoint: { region: "us-east-1", port: 443 },
        region_defaults: { region: "us-east-1" },
        external_id: "123456789012",
      },
    });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    demo = (await findDemo())!;
  }
  assert.ok(demo, "demo-cloud is found by slug, page by page");
  const payload = Buffer.from('{"access_key_id":"AKIAEXAMPLE","secret_access_key":"example"}').toString("base64");
  const issued = await catalog.POST("/v1/clouds/{id}/cloud-credentials", {
    params: { path: { id: demo.id } },
    body: { display_name: "demo-credential", payload, key_values: { role_arn: "arn:aws:iam::123456789012:role/acme-provisioner" } },
  });
  assert.equal(issued.response.status, 201, JSON.stringify(issued.error));
  const credential: Schemas["CloudCredentialResponse"] = issued.data!;
  assert.equal(issued.response.headers.get("location"), `/v1/cloud-credentials/${credential.id}`);
  assert.equal(credential.version, 1);
  assert.equal(credential.status, "active");
  assert.ok(!JSON.stringify(credential).includes("AKIAEXAMPLE"), "metadata only");

  const read = (await catalog.GET("/v1/cloud-credentials/{id}", { params: { path: { id: credential.id } } })).data!;
  assert.equal(read.id, credential.id);
  const listed = (await catalog.GET("/v1/clouds/{id}/cloud-credentials", { params: { path: { id: demo.id } } })).data!;
  assert.ok(listed.items.some((c) => c.id === credential.id));
  assert.equal((await catalog.GET("/v1/clouds/{id}", { params: { path: { id: demo.id } } })).data?.slug, "demo-cloud");
  state.cloudId = demo.id;
  state.credentialId = credential.id;
});

test("the two-party assignment: request, approve without a body, reject, revoke; and an authz check on the Project", async () => {
  const { operator, owner, viewer } = people;
  const created = await operator.catalog.POST("/v1/projects", {
    body: { domain_id: state.domainId!, name: "Contract project", slug: `contract-${Date.now()}` },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const project: Schemas["ProjectResponse"] = created.data!;
  assert.equal(project.domain_id, state.domainId);
  assert.equal((await operator.catalog.GET("/v1/projects/{id}", { params: { path: { id: project.id } } })).data?.id, project.id);
  const scoped = (await operator.catalog.GET("/v1/projects", { params: { query: { domain_id: state.domainId } } })).data!;
  assert.ok(scoped.items.some((p) => p.id === project.id));
  const nowhere = await operator.catalog.POST("/v1/projects", {
    body: { domain_id: "0190a8b8-a0c0-7a0a-8a0a-a0a0a0a0a0a1", name: "Nowhere", slug: `nowhere-${Date.now()}` },
  });
  assert.equal(nowhere.response.status, 409);
  assert.equal(nowhere.error?.code, "parent_domain_missing");

  const grant = async (who: "owner" | "viewer", relation: string) => {
    const response = await operator.catalog.POST("/v1/authz/relation-tuples", {
      params: { query: { project_id: project.id } },
      body: { subject: `user:${people[who].id}`, relation, resource: `project:${project.id}` },
    });
    assert.equal(response.response.status, 201, JSON.stringify(response.error));
    return response.data!;
  };
  await grant("owner", "manage");
  const viewerTuple = await grant("viewer", "manage");
  // Second thoughts: the viewer only deploys. PATCH replaces the tuple whole.
  const replaced = await owner.catalog.PATCH("/v1/authz/relation-tuples/{id}", {
    params: { path: { id: viewerTuple.id } },
    body: { subject: `user:${viewer.id}`, relation: "deploy", resource: `project:${project.id}` },
  });
  assert.equal(replaced.data?.relation, "deploy", JSON.stringify(replaced.error));
  const tuples = (await viewer.catalog.GET("/v1/authz/relation-tuples", { params: { query: { project_id: project.id } } })).data!;
  assert.deepEqual(tuples.items.map((t) => t.relation).sort(), ["deploy", "manage"]);

  const usable = await operator.catalog.POST("/v1/clouds/{id}/cloud-assignments", {
    params: { path: { id: state.cloudId! } },
    body: { project_id: project.id },
  });
  assert.equal(usable.data?.state, "approved", JSON.stringify(usable.error));

  const request = (who: "owner" | "viewer", body: Schemas["CredentialAssignmentRequest"]) =>
    people[who].catalog.POST("/v1/projects/{id}/credential-assignments", { params: { path: { id: project.id } }, body });
  // The owner asks (manage includes deploy); someone else who manages the Project must decide.
  const first = await request("owner", { cloud_credential_id: state.credentialId! });
  assert.equal(first.response.status, 201, JSON.stringify(first.error));
  const requested: Schemas["CredentialAssignmentResponse"] = first.data!;
  assert.equal(requested.state, "requested");

  // The requester cannot approve; the refusal decodes as PermissionDenied.
  const self = await owner.catalog.POST("/v1/credential-assignments/{id}/approve", { params: { path: { id: requested.id } } });
  assert.equal(self.response.status, 403);
  assert.equal(self.error?.code, "self_approval_denied");
  assert.ok(self.error && "correlation_id" in self.error && self.error.correlation_id, "a 403 decodes as PermissionDenied");

  // The generated client sends approve with no body and no Content-Type.
  const approved = await operator.catalog.POST("/v1/credential-assignments/{id}/approve", { params: { path: { id: requested.id } } });
  assert.equal(approved.response.status, 200, JSON.stringify(approved.error));
  assert.equal(approved.data?.state, "approved");
  assert.equal(approved.data?.materialised, true);

  // A second credential; the cloud_id form picks the newest eligible one.
  const second = await operator.catalog.POST("/v1/clouds/{id}/cloud-credentials", {
    params: { path: { id: state.cloudId! } },
    // Shaped like the Cloud's provider (AWS); any other bytes would be stored too, with a Plexsphere-Shape-Warning header.
    body: {
      display_name: "second",
      payload: Buffer.from('{"access_key_id":"AKIAEXAMPLE","secret_access_key":"second"}').toString("base64"),
    },
  });
  const byCloud = await request("viewer", { cloud_id: state.cloudId! });
  assert.equal(byCloud.data?.cloud_credential_id, second.data?.id, JSON.stringify(byCloud.error));
  const rejected = await owner.catalog.POST("/v1/credential-assignments/{id}/reject", {
    params: { path: { id: byCloud.data!.id } },
    body: { reason: "rotating this week" },
  });
  assert.equal(rejected.data?.state, "rejected", JSON.stringify(rejected.error));
  const revoked = await owner.catalog.POST("/v1/credential-assignments/{id}/revoke", {
    params: { path: { id: requested.id } },
    body: { reason: "project done" },
  });
  assert.equal(revoked.data?.state, "revoked", JSON.stringify(revoked.error));
  assert.equal(revoked.data?.materialised, false);
  const again = await owner.catalog.POST("/v1/credential-assignments/{id}/revoke", {
    params: { path: { id: requested.id } },
    body: { reason: "twice" },
  });
  assert.equal(again.error?.code, "illegal_transition");
  const listed = (await viewer.catalog.GET("/v1/projects/{id}/credential-assignments", { params: { path: { id: project.id } } })).data!;
  assert.deepEqual(listed.items.map((a) => a.state).sort(), ["rejected", "revoked"]);

  // The contract's question about a Project, asked by anyone about anyone.
  const check = (asker: "owner" | "viewer", subject: "owner" | "viewer", relation: string) =>
    people[asker].catalog.POST("/v1/authz/check", {
      body: { subject: `user:${people[subject].id}`, relation, resource: `project:${project.id}` },
    });
  const ownerManages: Schemas["RebacCheckResponse"] = (await check("owner", "owner", "manage")).data!;
  assert.equal(ownerManages.decision, "allowed");
  assert.equal((await check("viewer", "owner", "manage")).data?.decision, "allowed");
  assert.equal((await check("viewer", "viewer", "manage")).data?.decision, "denied");
  assert.equal((await check("viewer", "viewer", "deploy")).data?.decision, "allowed");

  const removed = await owner.catalog.DELETE("/v1/authz/relation-tuples/{id}", { params: { path: { id: replaced.data!.id } } });
  assert.equal(removed.response.status, 204);
  state.projectId = project.id;
});

test("a device login (RFC 8628): code, pending poll, approval by a signed-in person, token", async () => {
  const { catalog, identity } = people.viewer;
  const domainId = (await catalog.GET("/v1/auth/whoami")).data!.domain_id!;
  const anonymous = clients({}).identity;
  const started = await anonymous.POST("/v1/auth/device-code", { body: { domain_id: domainId, client_id: "plexctl" } });
  assert.equal(started.response.status, 200, JSON.stringify(started.error));
  const { device_code, user_code, interval } = started.data!;
  const pending = await anonymous.POST("/v1/auth/device-token", { body: { device_code } });
  assert.equal(pending.response.status, 400);
  assert.equal((pending.error as { code?: string }).code, "authorization_pending");
  const approved = await identity.POST("/v1/auth/device/approve", { body: { user_code } });
  assert.equal(approved.response.status, 200, JSON.stringify(approved.error));
  const again = await identity.POST("/v1/auth/device/approve", { body: { user_code } });
  assert.equal(again.response.status, 409);
  // A polite client waits the interval between polls; sooner is slow_down (RFC 8628 §3.5).
  await sleep(interval * 1000);
  const minted = await anonymous.POST("/v1/auth/device-token", { body: { device_code } });
  assert.equal(minted.response.status, 200, JSON.stringify(minted.error));
  const asDevice = clients({ authorization: `Bearer ${minted.data!.access_token}` }).catalog;
  assert.equal((await asDevice.GET("/v1/auth/whoami")).data!.subject, people.viewer.id);
});

// Before "the rest of what we serve", which revokes the operator's token.
test("the audit chain verifies for a platform admin, is refused to others; global sign-out ends a browser's sessions and refuses a token", async () => {
  const { operator, viewer } = people;
  const verified = await operator.identity.POST("/v1/domains/{domainId}/audit/verify", {
    params: { path: { domainId: state.domainId! } },
    body: {},
  });
  assert.equal(verified.response.status, 200, JSON.stringify(verified.error));
  assert.equal(verified.data!.ok, true);
  const bounded = await operator.identity.POST("/v1/domains/{domainId}/audit/verify", {
    params: { path: { domainId: state.domainId! } },
    body: { from_seq: 1, to_seq: 1 },
  });
  assert.deepEqual([bounded.data?.segment_from, bounded.data?.segment_to], [1, 1]);
  const inverted = await operator.identity.POST("/v1/domains/{domainId}/audit/verify", {
    params: { path: { domainId: state.domainId! } },
    body: { from_seq: 5, to_seq: 2 },
  });
  assert.equal(inverted.response.status, 400);
  const refused = await viewer.identity.POST("/v1/domains/{domainId}/audit/verify", {
    params: { path: { domainId: state.domainId! } },
    body: {},
  });
  assert.equal(refused.response.status, 403);

  // An API token may not sign its owner out of every browser.
  const byToken = await viewer.identity.POST("/v1/auth/sign-out/global");
  assert.equal(byToken.response.status, 403);
  const session = await signIn("viewer@example.com");
  const whoami = await clients({ cookie: session.cookieHeader() }).catalog.GET("/v1/auth/whoami");
  for (const line of whoami.response.headers.getSetCookie()) {
    const [name, value] = line.split(";")[0].split("=");
    session.jar.set(name, value);
  }
  const browser = clients({
    cookie: session.cookieHeader(),
    origin: new URL(baseUrl).origin,
    "X-Plexsphere-CSRF": session.jar.get("plexsphere_csrf")!,
  });
  const signedOut = await browser.identity.POST("/v1/auth/sign-out/global");
  assert.equal(signedOut.response.status, 204);
  assert.ok(signedOut.response.headers.getSetCookie().some((c) => /next-auth\.session-token=;/.test(c)));
  assert.equal((await browser.catalog.GET("/v1/auth/whoami")).response.status, 401);
});

test("groups, lookups, identities and invitations, as a platform admin", async () => {
  const { identity } = people.operator;
  const domainId = state.domainId!;
  const slug = `contract-${Date.now()}`;
  const created = await identity.POST("/v1/admin/groups", {
    body: { domain_id: domainId, slug, display_name: "Contract team", source: "manual" },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const group = created.data!;
  const list = await identity.GET("/v1/admin/groups", { params: { query: { domain_id: domainId, limit: 200 } } });
  assert.ok(list.data!.items.some((g) => g.id === group.id));
  assert.equal((await identity.GET("/v1/admin/groups/{id}", { params: { path: { id: group.id } } })).data!.slug, slug);
  const renamed = await identity.PATCH("/v1/admin/groups/{id}", {
    params: { path: { id: group.id } },
    body: { display_name: "Contract crew" },
  });
  assert.equal(renamed.data!.display_name, "Contract crew");

  const joined = await identity.POST("/v1/admin/groups/{id}/members", {
    params: { path: { id: group.id } },
    body: { principal_id: people.viewer.id, principal_kind: "user", source: "manual" },
  });
  assert.equal(joined.response.status, 201, JSON.stringify(joined.error));
  const members = await identity.GET("/v1/admin/groups/{id}/members", { params: { path: { id: group.id } } });
  assert.deepEqual(
    members.data!.items.map((m) => m.principal_id),
    [people.viewer.id],
  );

  const reachable = await people.viewer.identity.POST("/v1/authz/lookup-resources", {
    body: { subject: `user:${people.viewer.id}`, relation: "deploy", resource_type: "project" },
  });
  assert.equal(reachable.response.status, 200, JSON.stringify(reachable.error));
  assert.ok(reachable.data!.items.every((item) => item.startsWith("project:")));
  const who = await identity.POST("/v1/authz/lookup-subjects", {
    body: { subject_type: "user", relation: "deploy", resource: `project:${state.projectId}` },
  });
  assert.equal(who.response.status, 200, JSON.stringify(who.error));

  const left = await identity.DELETE("/v1/admin/groups/{id}/members/{principal_id}", {
    params: { path: { id: group.id, principal_id: people.viewer.id }, query: { kind: "user" } },
  });
  assert.equal(left.response.status, 204);
  assert.equal((await identity.DELETE("/v1/admin/groups/{id}", { params: { path: { id: group.id } } })).response.status, 204);

  const identities = await identity.GET("/v1/domains/{id}/identities", { params: { path: { id: domainId }, query: { limit: 200 } } });
  assert.ok(identities.data!.items.some((i) => i.id === people.viewer.id));
  const viewer = await identity.GET("/v1/domains/{id}/identities/{principalId}", {
    params: { path: { id: domainId, principalId: people.viewer.id } },
  });
  assert.equal(viewer.data!.email, "viewer@example.com");
  assert.equal(
    (await people.viewer.identity.GET("/v1/domains/{id}/identities", { params: { path: { id: domainId } } })).response.status,
    403,
  );

  const invited = await identity.POST("/v1/domains/{id}/invitations", {
    params: { path: { id: domainId } },
    body: {
      external_subject: `contract-${Date.now()}@example.com`,
      ttl_seconds: 3600,
      initial_tuples: [{ relation: "deploy", object: `project:${state.projectId}` }],
    },
  });
  assert.equal(invited.response.status, 201, JSON.stringify(invited.error));
  const invitations = await identity.GET("/v1/domains/{id}/invitations", {
    params: { path: { id: domainId }, query: { status: "pending" } },
  });
  assert.ok(invitations.data!.items.some((i) => i.id === invited.data!.id));
  const read = await identity.GET("/v1/domains/{id}/invitations/{invitationId}", {
    params: { path: { id: domainId, invitationId: invited.data!.id } },
  });
  assert.equal(read.data!.status, "pending");
  const revoked = await identity.DELETE("/v1/domains/{id}/invitations/{invitationId}", {
    params: { path: { id: domainId, invitationId: invited.data!.id } },
  });
  assert.equal(revoked.response.status, 204);
});

test("identity providers: a platform admin adds, reads, changes, deactivates and removes a binding; the sign-in page lists the active ones", async () => {
  const { identity } = people.operator;
  const domainId = state.domainId!;
  const alias = `contract-${Date.now()}`;
  const secret = `contract-client-secret-${Date.now()}`;
  // Saving a binding fetches its discovery document: a real one, from loopback (identity providers may be private).
  const idps = await startDiscoveryServer();
  // Ours, documented in docs/api/contract-differences.md: the secret is sent write-only as client_secret and the server mints client_secret_ref.
  const created = await identity.POST("/v1/admin/idp", {
    body: {
      domain_id: domainId,
      issuer: idps.issuer("contract"),
      client_id: "plexsphere-console",
      client_secret: secret,
      jit_policy: "allow",
      alias,
    } as never,
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const binding = created.data!;
  assert.ok(binding.client_secret_ref && !JSON.stringify(binding).includes(secret));
  const listed = await identity.GET("/v1/admin/idp", { params: { query: { domain_id: domainId } } });
  assert.ok((listed.data ?? []).some((b) => b.id === binding.id));
  assert.equal((await identity.GET("/v1/admin/idp/{id}", { params: { path: { id: binding.id } } })).data!.alias, alias);
  const changed = await identity.PATCH("/v1/admin/idp/{id}", {
    params: { path: { id: binding.id } },
    body: { jit_policy: "deny" } as never,
  });
  assert.equal(changed.response.status, 200, JSON.stringify(changed.error));
  const offered = await clients({}).identity.GET("/v1/auth/idp-bindings", { params: { query: { domain_id: domainId } } });
  assert.ok((offered.data ?? []).some((b) => b.id === binding.id));
  const deactivated = await identity.PATCH("/v1/admin/idp/{id}/status", {
    params: { path: { id: binding.id } },
    body: { status: "deactivated" },
  });
  assert.equal(deactivated.response.status, 200, JSON.stringify(deactivated.error));
  assert.ok(
    !((await clients({}).identity.GET("/v1/auth/idp-bindings", { params: { query: { domain_id: domainId } } })).data ?? []).some(
      (b) => b.id === binding.id,
    ),
  );
  assert.equal((await people.viewer.identity.GET("/v1/admin/idp", { params: { query: { domain_id: domainId } } })).response.status, 403);
  assert.equal((await identity.DELETE("/v1/admin/idp/{id}", { params: { path: { id: binding.id } } })).response.status, 204);

  const platformAlias = `contract-platform-${Date.now()}`;
  const platform = await identity.POST("/v1/admin/platform-idp", {
    body: {
      issuer: idps.issuer("contract-platform"),
      client_id: "plexsphere-console",
      client_secret: secret,
      jit_policy: "deny",
      alias: platformAlias,
    } as never,
  });
  assert.equal(platform.response.status, 201, JSON.stringify(platform.error));
  assert.ok(((await identity.GET("/v1/admin/platform-idp")).data ?? []).some((b) => b.alias === platformAlias));
  assert.equal((await identity.DELETE("/v1/admin/idp/{id}", { params: { path: { id: platform.data!.id } } })).response.status, 204);
  await idps.stop();
});

test("credential <-> Cloud associations: list, attach (idempotent), detach; the home Cloud stays; a revoked credential takes no Cloud", async () => {
  const { operator, viewer } = people;
  const slug = (name: string) => `contract-${name}-${Date.now()}`;
  const newCloud = async (name: string) => {
    const body = {
      display_name: name,
      slug: slug(name),
      provider: "aws" as const,
      endpoint: {},
      region_defaults: {},
      external_id: slug(name),
    };
    const created = await operator.catalog.POST("/v1/clouds", { body });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    return created.data!.id;
  };
  const home = await newCloud("home");
  const usage = await newCloud("usage");
  const issued = await operator.catalog.POST("/v1/clouds/{id}/cloud-credentials", {
    params: { path: { id: home } },
    body: { display_name: "shared", payload: Buffer.from("s").toString("base64") },
  });
  assert.equal(issued.response.status, 201, JSON.stringify(issued.error));
  const id = issued.data!.id;
  const path = { id };
  const served = async () => {
    const listed = await operator.catalog.GET("/v1/cloud-credentials/{id}/clouds", { params: { path } });
    assert.equal(listed.response.status, 200, JSON.stringify(listed.error));
    const list: Schemas["CloudCredentialCloudList"] = listed.data!;
    return list.items.map((c) => c.cloud_id);
  };
  assert.deepEqual(await served(), [home]);

  const attach = (client: typeof operator.catalog, cloud_id: string) =>
    client.POST("/v1/cloud-credentials/{id}/clouds", { params: { path }, body: { cloud_id } });
  const refused = await attach(viewer.catalog, usage);
  assert.ok([403, 404].includes(refused.response.status), `a viewer may not attach: ${refused.response.status}`);
  const attached = await attach(operator.catalog, usage);
  assert.equal(attached.response.status, 201, JSON.stringify(attached.error));
  const ref: Schemas["CloudUsageRef"] = attached.data!;
  assert.equal(ref.cloud_id, usage);
  assert.equal((await attach(operator.catalog, usage)).response.status, 201, "attach is idempotent");
  assert.equal((await attach(operator.catalog, "0190a8b8-a0c0-7a0a-8a0a-a0a0a0a0a0c9")).error?.code, "cloud_not_found");
  assert.deepEqual(await served(), [home, usage].sort());
  const page = await operator.catalog.GET("/v1/cloud-credentials/{id}/clouds", { params: { path, query: { limit: 1 } } });
  assert.equal(page.data?.items.length, 1);
  assert.ok(page.data?.next_cursor);

  const detach = (cloud_id: string) =>
    operator.catalog.DELETE("/v1/cloud-credentials/{id}/clouds/{cloud_id}", { params: { path: { id, cloud_id } } });
  const home409 = await detach(home);
  assert.equal(home409.response.status, 409);
  assert.equal(home409.error?.code, "cannot_detach_home_cloud");
  assert.equal((await detach(usage)).response.status, 204);
  assert.equal((await detach(usage)).response.status, 204, "detach is idempotent");
  assert.deepEqual(await served(), [home]);

  const revoked = await operator.catalog.POST("/v1/cloud-credentials/{id}/revoke", { params: { path }, body: { reason: "contract" } });
  assert.equal(revoked.response.status, 200, JSON.stringify(revoked.error));
  const late = await attach(operator.catalog, usage);
  assert.equal(late.response.status, 409);
  assert.equal(late.error?.code, "cloud_credential_revoked");
});

test("the rest of what we serve: Cloud edits and deletion, credential revoke, token rotation, sign-out", async () => {
  const { operator } = people;
  const created = await operator.catalog.POST("/v1/clouds", {
    body: {
      display_name: "Short-lived",
      slug: `short-${Date.now()}`,
      provider: "azure",
      endpoint: { tenant: "t", tls: { verify: true } },
      region_defaults: {},
      external_id: `ext-${Date.now()}`,
    },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  assert.equal(created.response.headers.get("location"), `/v1/clouds/${created.data!.id}`);
  const patched = await operator.catalog.PATCH("/v1/clouds/{id}", {
    params: { path: { id: created.data!.id } },
    body: { display_name: "Renamed", endpoint: { port: 8443 } },
  });
  assert.deepEqual(patched.data?.endpoint, { port: 8443 });
  const deleted = await operator.catalog.DELETE("/v1/clouds/{id}", { params: { path: { id: created.data!.id } } });
  assert.equal(deleted.response.status, 204);
  const notEmpty = await operator.catalog.DELETE("/v1/clouds/{id}", { params: { path: { id: state.cloudId! } } });
  assert.equal(notEmpty.response.status, 409);

  const revoked = await operator.catalog.POST("/v1/cloud-credentials/{id}/revoke", {
    params: { path: { id: state.credentialId! } },
    body: { reason: "lesson over" },
  });
  assert.equal(revoked.data?.status, "revoked", JSON.stringify(revoked.error));

  const tokens = (await operator.catalog.GET("/v1/auth/tokens")).data!;
  assert.ok(tokens.some((t) => t.id === operator.tokenId));
  const rotated = await operator.catalog.POST("/v1/auth/tokens/{id}/rotate", { params: { path: { id: operator.tokenId } } });
  assert.equal(rotated.response.status, 200, JSON.stringify(rotated.error));
  const fresh = clients({ authorization: `Bearer ${rotated.data!.plaintext}` }).catalog;
  assert.equal((await fresh.DELETE("/v1/auth/tokens/{id}", { params: { path: { id: operator.tokenId } } })).response.status, 204);
  assert.equal((await fresh.GET("/v1/auth/whoami")).response.status, 401);
  assert.equal((await fresh.DELETE("/v1/auth/whoami")).response.status, 204);
});
