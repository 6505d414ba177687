import { randomUUID } from "node:crypto";
import { expect, test, uniqueSlug } from "../fixtures";
import { cloudBody, seededCaller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

/**
 * Groups, identities, invitations and lookups over /v1: a platform admin
 * does the work; an attacker (signed in, no platform rights) is refused
 * with 403, and a made-up Domain id is 404 domain_not_found.
 */
const DOMAIN = "00000000-0000-7000-8000-000000000001";
const OTHER_DOMAIN = "00000000-0000-7000-8000-0000000000ff";

test("groups, memberships and group grants; lookups in both directions", async ({ request, target }) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const admin = await seededCaller(target, { label: "groups-admin", platformAdmin: true });
  const attacker = await seededCaller(target, { label: "groups-attacker" });
  const member = await seededCaller(target, { label: "groups-member" });
  const h = admin.headers;

  await expectConforms(await request.get(`/v1/admin/groups?domain_id=${DOMAIN}`), "GET /v1/admin/groups", 401);
  await expectConforms(
    await request.get(`/v1/admin/groups?domain_id=${DOMAIN}`, { headers: attacker.headers }),
    "GET /v1/admin/groups",
    403,
  );
  await expectConforms(await request.get(`/v1/admin/groups?domain_id=${OTHER_DOMAIN}`, { headers: h }), "GET /v1/admin/groups", 404);

  const slug = uniqueSlug("ops");
  const body = { domain_id: DOMAIN, slug, display_name: "Ops", source: "manual" };
  await expectConforms(await request.post("/v1/admin/groups", { headers: attacker.headers, data: body }), "POST /v1/admin/groups", 403);
  const group = await expectConforms(await request.post("/v1/admin/groups", { headers: h, data: body }), "POST /v1/admin/groups", 201);
  expect(group).toMatchObject({ slug, display_name: "Ops", source: "manual", domain_id: DOMAIN });
  expect(
    (await expectConforms(await request.post("/v1/admin/groups", { headers: h, data: body }), "POST /v1/admin/groups", 409)).code,
  ).toBe("group_slug_conflict");
  expect(
    (
      await expectConforms(
        await request.post("/v1/admin/groups", { headers: h, data: { ...body, slug: uniqueSlug("x"), source: "idp" } }),
        "POST /v1/admin/groups",
        400,
      )
    ).code,
  ).toBe("invalid_group");
  const renamed = await expectConforms(
    await request.patch(`/v1/admin/groups/${group.id}`, { headers: h, data: { display_name: "Operations" } }),
    "PATCH /v1/admin/groups/{id}",
    200,
  );
  expect(renamed.display_name).toBe("Operations");
  await expectConforms(await request.get(`/v1/admin/groups/${randomUUID()}`, { headers: h }), "GET /v1/admin/groups/{id}", 404);

  const membersPath = `/v1/admin/groups/${group.id}/members`;
  const join = { principal_id: member.userId, principal_kind: "user", source: "manual" };
  await expectConforms(
    await request.post(membersPath, { headers: attacker.headers, data: { ...join, principal_id: attacker.userId } }),
    "POST /v1/admin/groups/{id}/members",
    403,
  );
  expect(
    (
      await expectConforms(
        await request.post(membersPath, { headers: h, data: { ...join, source: "idp" } }),
        "POST /v1/admin/groups/{id}/members",
        409,
      )
    ).code,
  ).toBe("source-conflict");
  await expectConforms(await request.post(membersPath, { headers: h, data: join }), "POST /v1/admin/groups/{id}/members", 201);
  expect(
    (await expectConforms(await request.post(membersPath, { headers: h, data: join }), "POST /v1/admin/groups/{id}/members", 409)).code,
  ).toBe("membership_conflict");
  const members = await expectConforms(await request.get(membersPath, { headers: h }), "GET /v1/admin/groups/{id}/members", 200);
  expect(members.items.map((m: { principal_id: string }) => m.principal_id)).toEqual([member.userId]);

  // A Cloud shared with the group is the member's at their next request; lookups expand the group.
  const cloud = await expectConforms(
    await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
    "POST /v1/clouds",
    201,
  );
  await expectConforms(await request.get(`/v1/clouds/${cloud.id}`, { headers: member.headers }), "GET /v1/clouds/{id}", 403);
  const project = await expectConforms(
    await request.post("/v1/projects", { headers: h, data: { domain_id: DOMAIN, name: "Group project", slug: uniqueSlug("p") } }),
    "POST /v1/projects",
    201,
  );
  const tuple = await expectConforms(
    await request.post(`/v1/authz/relation-tuples?project_id=${project.id}`, {
      headers: h,
      data: { subject: `group:${group.id}`, relation: "deploy", resource: `project:${project.id}` },
    }),
    "POST /v1/authz/relation-tuples",
    201,
  );
  expect(tuple.subject).toBe(`group:${group.id}`);
  const check = await expectConforms(
    await request.post("/v1/authz/check", {
      headers: member.headers,
      data: { subject: `user:${member.userId}`, relation: "deploy", resource: `project:${project.id}` },
    }),
    "POST /v1/authz/check",
    200,
  );
  expect(check.decision).toBe("allowed");

  const lookupResources = (who: typeof admin, subject: string) =>
    request.post("/v1/authz/lookup-resources", { headers: who.headers, data: { subject, relation: "deploy", resource_type: "project" } });
  const mine = await expectConforms(await lookupResources(member, `user:${member.userId}`), "POST /v1/authz/lookup-resources", 200);
  expect(mine.items).toEqual([`project:${project.id}`]);
  const peeked = await expectConforms(await lookupResources(attacker, `user:${member.userId}`), "POST /v1/authz/lookup-resources", 200);
  expect(peeked.items).toEqual([]);
  const byGroup = await expectConforms(await lookupResources(admin, `group:${group.id}`), "POST /v1/authz/lookup-resources", 200);
  expect(byGroup.items).toEqual([`project:${project.id}`]);
  expect((await expectConforms(await lookupResources(admin, "user:nobody"), "POST /v1/authz/lookup-resources", 400)).code).toBe(
    "invalid_lookup_request",
  );

  const lookupSubjects = (who: typeof admin, subjectType: string) =>
    request.post("/v1/authz/lookup-subjects", {
      headers: who.headers,
      data: { subject_type: subjectType, relation: "deploy", resource: `project:${project.id}` },
    });
  const deployers = await expectConforms(await lookupSubjects(admin, "user"), "POST /v1/authz/lookup-subjects", 200);
  expect(deployers.items).toContain(`user:${member.userId}`);
  expect((await expectConforms(await lookupSubjects(admin, "group"), "POST /v1/authz/lookup-subjects", 200)).items).toEqual([
    `group:${group.id}`,
  ]);
  expect((await expectConforms(await lookupSubjects(attacker, "user"), "POST /v1/authz/lookup-subjects", 200)).items).toEqual([]);

  await expectConforms(
    await request.delete(`${membersPath}/${member.userId}`, { headers: h }),
    "DELETE /v1/admin/groups/{id}/members/{principal_id}",
    400,
  );
  await expectConforms(
    await request.delete(`${membersPath}/${member.userId}?kind=user`, { headers: attacker.headers }),
    "DELETE /v1/admin/groups/{id}/members/{principal_id}",
    403,
  );
  await expectConforms(
    await request.delete(`${membersPath}/${member.userId}?kind=user`, { headers: h }),
    "DELETE /v1/admin/groups/{id}/members/{principal_id}",
    204,
  );
  const after = await expectConforms(
    await request.post("/v1/authz/check", {
      headers: member.headers,
      data: { subject: `user:${member.userId}`, relation: "deploy", resource: `project:${project.id}` },
    }),
    "POST /v1/authz/check",
    200,
  );
  expect(after.decision).toBe("denied");
  await expectConforms(
    await request.delete(`/v1/admin/groups/${group.id}`, { headers: attacker.headers }),
    "DELETE /v1/admin/groups/{id}",
    403,
  );
  await expectConforms(await request.delete(`/v1/admin/groups/${group.id}`, { headers: h }), "DELETE /v1/admin/groups/{id}", 204);
  await expectConforms(await request.get(`/v1/admin/groups/${group.id}`, { headers: h }), "GET /v1/admin/groups/{id}", 404);
});

test("identities: list, detail, disable (the token stops at the next request), re-enable, remove", async ({ request, target }) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const admin = await seededCaller(target, { label: "id-admin", platformAdmin: true });
  const attacker = await seededCaller(target, { label: "id-attacker" });
  const person = await seededCaller(target, { label: "id-person" });
  const path = `/v1/domains/${DOMAIN}/identities`;

  await expectConforms(await request.get(path, { headers: attacker.headers }), "GET /v1/domains/{id}/identities", 403);
  expect(
    (
      await expectConforms(
        await request.get(`/v1/domains/${OTHER_DOMAIN}/identities`, { headers: admin.headers }),
        "GET /v1/domains/{id}/identities",
        404,
      )
    ).code,
  ).toBe("domain_not_found");
  expect(
    (await expectConforms(await request.get(`${path}?kind=robot`, { headers: admin.headers }), "GET /v1/domains/{id}/identities", 400))
      .code,
  ).toBe("invalid_kind");
  const first = await expectConforms(
    await request.get(`${path}?limit=1`, { headers: admin.headers }),
    "GET /v1/domains/{id}/identities",
    200,
  );
  expect(first.items).toHaveLength(1);
  expect(JSON.stringify(first.items[0])).not.toContain("@");
  const second = await expectConforms(
    await request.get(`${path}?limit=1&cursor=${encodeURIComponent(first.next_cursor)}`, { headers: admin.headers }),
    "GET /v1/domains/{id}/identities",
    200,
  );
  expect(second.items[0].id).not.toBe(first.items[0].id);
  await expectConforms(
    await request.get(`${path}?limit=1&cursor=${encodeURIComponent(first.next_cursor)}`, { headers: person.headers }),
    "GET /v1/domains/{id}/identities",
    403,
  );

  const detail = await expectConforms(
    await request.get(`${path}/${person.userId}`, { headers: admin.headers }),
    "GET /v1/domains/{id}/identities/{principalId}",
    200,
  );
  expect(detail).toMatchObject({ id: person.userId, kind: "user", status: "active", source: "local" });
  await expectConforms(
    await request.get(`${path}/${person.userId}`, { headers: attacker.headers }),
    "GET /v1/domains/{id}/identities/{principalId}",
    403,
  );
  expect(
    (
      await expectConforms(
        await request.get(`${path}/${randomUUID()}`, { headers: admin.headers }),
        "GET /v1/domains/{id}/identities/{principalId}",
        404,
      )
    ).code,
  ).toBe("identity_not_found");
  expect(
    (
      await expectConforms(
        await request.get(`${path}/zz`, { headers: admin.headers }),
        "GET /v1/domains/{id}/identities/{principalId}",
        400,
      )
    ).code,
  ).toBe("invalid_principal_id");

  // Disabling: the attacker cannot; the admin can, and the person's token is refused at its next use.
  await expectConforms(
    await request.patch(`${path}/${person.userId}`, { headers: attacker.headers, data: { status: "disabled" } }),
    "PATCH /v1/domains/{id}/identities/{principalId}",
    403,
  );
  await expectConforms(await request.get("/v1/auth/whoami", { headers: person.headers }), "GET /v1/auth/whoami", 200);
  const disabled = await expectConforms(
    await request.patch(`${path}/${person.userId}`, { headers: admin.headers, data: { status: "disabled" } }),
    "PATCH /v1/domains/{id}/identities/{principalId}",
    200,
  );
  expect(disabled.status).toBe("disabled");
  await expectConforms(await request.get("/v1/auth/whoami", { headers: person.headers }), "GET /v1/auth/whoami", 401);
  await expectConforms(
    await request.patch(`${path}/${person.userId}`, { headers: admin.headers, data: { status: "active" } }),
    "PATCH /v1/domains/{id}/identities/{principalId}",
    200,
  );
  await expectConforms(await request.get("/v1/auth/whoami", { headers: person.headers }), "GET /v1/auth/whoami", 200);
  expect(
    (
      await expectConforms(
        await request.patch(`${path}/${admin.userId}`, { headers: admin.headers, data: { status: "disabled" } }),
        "PATCH /v1/domains/{id}/identities/{principalId}",
        409,
      )
    ).code,
  ).toBe("cannot_change_self");

  await expectConforms(
    await request.delete(`${path}/${person.userId}`, { headers: attacker.headers }),
    "DELETE /v1/domains/{id}/identities/{principalId}",
    403,
  );
  await expectConforms(
    await request.delete(`${path}/${person.userId}`, { headers: admin.headers }),
    "DELETE /v1/domains/{id}/identities/{principalId}",
    204,
  );
  await expectConforms(await request.get("/v1/auth/whoami", { headers: person.headers }), "GET /v1/auth/whoami", 401);
});

test("invitations: issue (link once), list, read, revoke; the rules and the attacker", async ({ request, target }) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const admin = await seededCaller(target, { label: "inv-admin", platformAdmin: true });
  const attacker = await seededCaller(target, { label: "inv-attacker" });
  const path = `/v1/domains/${DOMAIN}/invitations`;
  const email = `invitee-${randomUUID().slice(0, 8)}@example.com`;
  const cloud = await expectConforms(
    await request.post("/v1/clouds", { headers: admin.headers, data: cloudBody(uniqueSlug()) }),
    "POST /v1/clouds",
    201,
  );
  const body = { external_subject: email, ttl_seconds: 3600, initial_tuples: [{ relation: "observer", object: `cloud:${cloud.id}` }] };

  await expectConforms(await request.post(path, { headers: attacker.headers, data: body }), "POST /v1/domains/{id}/invitations", 403);
  expect(
    (
      await expectConforms(
        await request.post(`/v1/domains/${OTHER_DOMAIN}/invitations`, { headers: admin.headers, data: body }),
        "POST /v1/domains/{id}/invitations",
        404,
      )
    ).code,
  ).toBe("domain_not_found");
  expect(
    (
      await expectConforms(
        await request.post(path, { headers: admin.headers, data: { ...body, ttl_seconds: 5 } }),
        "POST /v1/domains/{id}/invitations",
        400,
      )
    ).code,
  ).toBe("invalid_ttl");
  expect(
    (
      await expectConforms(
        await request.post(path, {
          headers: admin.headers,
          data: { ...body, initial_tuples: [{ relation: "manage", object: "tenant:1" }] },
        }),
        "POST /v1/domains/{id}/invitations",
        422,
      )
    ).code,
  ).toBe("invitation_object_out_of_scope");
  const invitation = await expectConforms(
    await request.post(path, { headers: admin.headers, data: body }),
    "POST /v1/domains/{id}/invitations",
    201,
  );
  expect(invitation).toMatchObject({
    status: "pending",
    domain_id: DOMAIN,
    initial_tuples: [{ relation: "observer", object: `cloud:${cloud.id}` }],
  });
  expect(invitation.invitation_url).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}$/);
  expect(JSON.stringify(invitation)).not.toContain(email);
  expect(
    (await expectConforms(await request.post(path, { headers: admin.headers, data: body }), "POST /v1/domains/{id}/invitations", 409)).code,
  ).toBe("invitation_already_pending");

  const read = await expectConforms(
    await request.get(`${path}/${invitation.id}`, { headers: admin.headers }),
    "GET /v1/domains/{id}/invitations/{invitationId}",
    200,
  );
  expect(read.invitation_url).toBeUndefined();
  await expectConforms(
    await request.get(`${path}/${invitation.id}`, { headers: attacker.headers }),
    "GET /v1/domains/{id}/invitations/{invitationId}",
    403,
  );
  const pending = await expectConforms(
    await request.get(`${path}?status=pending`, { headers: admin.headers }),
    "GET /v1/domains/{id}/invitations",
    200,
  );
  expect(pending.items.map((i: { id: string }) => i.id)).toContain(invitation.id);
  expect(
    (await expectConforms(await request.get(`${path}?status=bogus`, { headers: admin.headers }), "GET /v1/domains/{id}/invitations", 400))
      .code,
  ).toBe("invalid_status");

  await expectConforms(
    await request.delete(`${path}/${invitation.id}`, { headers: attacker.headers }),
    "DELETE /v1/domains/{id}/invitations/{invitationId}",
    403,
  );
  await expectConforms(
    await request.delete(`${path}/${invitation.id}`, { headers: admin.headers }),
    "DELETE /v1/domains/{id}/invitations/{invitationId}",
    204,
  );
  await expectConforms(
    await request.delete(`${path}/${invitation.id}`, { headers: admin.headers }),
    "DELETE /v1/domains/{id}/invitations/{invitationId}",
    204,
  );
  expect(
    (
      await expectConforms(
        await request.get(`${path}/${invitation.id}`, { headers: admin.headers }),
        "GET /v1/domains/{id}/invitations/{invitationId}",
        200,
      )
    ).status,
  ).toBe("revoked");
  expect(
    (
      await expectConforms(
        await request.get(`${path}/${randomUUID()}`, { headers: admin.headers }),
        "GET /v1/domains/{id}/invitations/{invitationId}",
        404,
      )
    ).code,
  ).toBe("invitation_not_found");
  // The revoked link no longer opens the acceptance form.
  const page = await request.get(new URL(invitation.invitation_url).pathname);
  expect(await page.text()).toContain("used already");
});
