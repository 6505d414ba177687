import { cast, expect, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, demoCaller, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

test("two-party assignment over /v1: a member requests, someone else decides, every answer as the contract says", async ({
  playwright,
  request,
  target,
}) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const callers = {} as Record<"operator" | "owner" | "viewer", Caller>;
  for (const [who, email] of [
    ["operator", cast.operator],
    ["owner", cast.owner],
    ["viewer", cast.viewer],
  ] as const) {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    callers[who] = await demoCaller(session, target, email);
    await session.dispose();
  }
  const as = (who: keyof typeof callers) => callers[who].headers;

  const project = await expectConforms(
    await request.post("/v1/projects", {
      headers: as("operator"),
      data: { domain_id: "00000000-0000-7000-8000-000000000001", name: "API project", slug: uniqueSlug("proj") },
    }),
    "POST /v1/projects",
    201,
  );
  for (const [who, relation] of [
    ["owner", "manage"],
    ["viewer", "deploy"],
  ] as const) {
    await expectConforms(
      await request.post(`/v1/authz/relation-tuples?project_id=${project.id}`, {
        headers: as("operator"),
        data: { subject: `user:${callers[who].userId}`, relation, resource: `project:${project.id}` },
      }),
      "POST /v1/authz/relation-tuples",
      201,
    );
  }
  // Ids are UUIDs whatever their case.
  const extra = await expectConforms(
    await request.post(`/v1/authz/relation-tuples?project_id=${project.id.toUpperCase()}`, {
      headers: as("operator"),
      data: { subject: `user:${callers.viewer.userId.toUpperCase()}`, relation: "deploy", resource: `project:${project.id.toUpperCase()}` },
    }),
    "POST /v1/authz/relation-tuples",
    201,
  );
  expect(extra.subject).toBe(`user:${callers.viewer.userId}`);
  const tuples = await expectConforms(
    await request.get(`/v1/authz/relation-tuples?project_id=${project.id}`, { headers: as("viewer") }),
    "GET /v1/authz/relation-tuples",
    200,
  );
  expect(tuples.items.map((t: { relation: string }) => t.relation).sort()).toEqual(["deploy", "manage"]);

  const cloud = await (await request.post("/v1/clouds", { headers: as("operator"), data: cloudBody(uniqueSlug()) })).json();
  const credential = await (
    await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: as("operator"),
      data: { display_name: "c", payload: b64("s"), allow_unusual_shape: true },
    })
  ).json();
  const ask = (who: keyof typeof callers, data: object) =>
    request.post(`/v1/projects/${project.id}/credential-assignments`, { headers: as(who), data });
  const op = "POST /v1/projects/{id}/credential-assignments";

  // The viewer may not see the Cloud, which is not usable in the Project yet: its credential is "not found", like a missing one.
  await expectConforms(await ask("viewer", { cloud_credential_id: credential.id }), op, 404).then((p) =>
    expect(p.code).toBe("cloud_credential_not_found"),
  );
  await expectConforms(
    await request.post(`/v1/clouds/${cloud.id}/cloud-assignments`, { headers: as("operator"), data: { project_id: project.id } }),
    "POST /v1/clouds/{id}/cloud-assignments",
    201,
  );
  const requested = await expectConforms(await ask("viewer", { cloud_credential_id: credential.id }), op, 201);
  expect(requested).toMatchObject({ state: "requested", materialised: false });
  await expectConforms(await ask("viewer", { cloud_id: cloud.id }), op, 409).then((p) => expect(p.code).toBe("duplicate_live_assignment"));

  const decide = (who: keyof typeof callers, id: string, decision: string) =>
    request.post(`/v1/credential-assignments/${id}/${decision}`, { headers: as(who), data: { reason: `${decision} by ${who}` } });
  await expectConforms(await decide("viewer", requested.id, "approve"), "POST /v1/credential-assignments/{id}/approve", 403);
  const approved = await expectConforms(
    await decide("owner", requested.id, "approve"),
    "POST /v1/credential-assignments/{id}/approve",
    200,
  );
  expect(approved).toMatchObject({ state: "approved", materialised: true });
  await expectConforms(await decide("owner", requested.id, "reject"), "POST /v1/credential-assignments/{id}/reject", 409).then((p) =>
    expect(p.code).toBe("illegal_transition"),
  );

  // The owner's own request must be decided by someone else.
  const second = await (
    await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: as("operator"),
      data: { display_name: "d", payload: b64("t"), allow_unusual_shape: true },
    })
  ).json();
  const own = await expectConforms(await ask("owner", { cloud_credential_id: second.id }), op, 201);
  await expectConforms(await decide("owner", own.id, "approve"), "POST /v1/credential-assignments/{id}/approve", 403).then((p) =>
    expect(p.code).toBe("self_approval_denied"),
  );
  await expectConforms(await decide("operator", own.id, "approve"), "POST /v1/credential-assignments/{id}/approve", 200);

  await expectConforms(await decide("owner", requested.id, "revoke"), "POST /v1/credential-assignments/{id}/revoke", 200).then((a) =>
    expect(a.state).toBe("revoked"),
  );
  await request.post(`/v1/cloud-credentials/${credential.id}/revoke`, { headers: as("operator"), data: { reason: "gone" } });
  await expectConforms(await ask("viewer", { cloud_credential_id: credential.id }), op, 422).then((p) =>
    expect(p.code).toBe("credential_not_assignable"),
  );

  const list = await expectConforms(
    await request.get(`/v1/projects/${project.id}/credential-assignments`, { headers: as("viewer") }),
    "GET /v1/projects/{id}/credential-assignments",
    200,
  );
  expect(list.items.map((a: { state: string }) => a.state).sort()).toEqual(["approved", "revoked"]);
  await expectConforms(await request.get(`/v1/projects/${project.id}`, { headers: as("viewer") }), "GET /v1/projects/{id}", 200);
});
