import { cast, expect, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, demoCaller, seededCaller, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

const DOMAIN = "00000000-0000-7000-8000-000000000001";

test("the approval queue and the Cloud assignment lifecycle over /v1, and June's approve still working", async ({
  playwright,
  request,
  target,
}) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const callers = {} as Record<"operator" | "owner" | "viewer" | "stranger", Caller>;
  for (const [who, email] of [
    ["operator", cast.operator],
    ["owner", cast.owner],
    ["viewer", cast.viewer],
  ] as const) {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    callers[who] = await demoCaller(session, target, email);
    await session.dispose();
  }
  callers.stranger = await seededCaller(target, { label: "stranger" });
  const as = (who: keyof typeof callers) => callers[who].headers;

  const project = await expectConforms(
    await request.post("/v1/projects", {
      headers: as("operator"),
      data: { domain_id: DOMAIN, name: "Approvals project", slug: uniqueSlug("appr") },
    }),
    "POST /v1/projects",
    201,
  );
  for (const [who, relation] of [
    ["owner", "manage"],
    ["viewer", "deploy"],
    ["operator", "deploy"],
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
  const newCloud = async () => (await request.post("/v1/clouds", { headers: as("operator"), data: cloudBody(uniqueSlug()) })).json();
  const cloud = await newCloud();

  // A manager's grant is created approved; a second grant of the live pair is refused (it answered 201 with the first row).
  const grant = () =>
    request.post(`/v1/clouds/${cloud.id}/cloud-assignments`, { headers: as("operator"), data: { project_id: project.id } });
  const granted = await expectConforms(await grant(), "POST /v1/clouds/{id}/cloud-assignments", 201);
  expect(granted).toMatchObject({ project_id: project.id, cloud_id: cloud.id, state: "approved", materialised: true });
  await expectConforms(await grant(), "POST /v1/clouds/{id}/cloud-assignments", 409).then((p) =>
    expect(p.code).toBe("duplicate_live_cloud_assignment"),
  );

  // Revoke: not for someone who sees neither side, yes for the Project's deployer, only from approved.
  const revokeOp = "POST /v1/cloud-assignments/{id}/revoke";
  const revoke = (who: keyof typeof callers, id: string, reason = "no longer needed") =>
    request.post(`/v1/cloud-assignments/${id}/revoke`, { headers: as(who), data: { reason } });
  await expectConforms(await revoke("viewer", "not-a-uuid"), revokeOp, 400).then((p) => expect(p.code).toBe("invalid_cloud_assignment_id"));
  await expectConforms(await revoke("stranger", granted.id), revokeOp, 404).then((p) => expect(p.code).toBe("cloud_assignment_not_found"));
  await expectConforms(await revoke("viewer", granted.id, "  "), revokeOp, 400).then((p) => expect(p.code).toBe("invalid_decision_reason"));
  await expectConforms(await revoke("viewer", granted.id), revokeOp, 200).then((a) =>
    expect(a).toMatchObject({ state: "revoked", materialised: false }),
  );
  await expectConforms(await revoke("viewer", granted.id), revokeOp, 409).then((p) => expect(p.code).toBe("illegal_transition"));

  // The Project asks again; the Cloud is not usable until its manager approves.
  const askOp = "POST /v1/projects/{id}/cloud-assignments";
  const askCloud = (who: keyof typeof callers, cloudId: string) =>
    request.post(`/v1/projects/${project.id}/cloud-assignments`, { headers: as(who), data: { cloud_id: cloudId } });
  await expectConforms(await askCloud("stranger", cloud.id), askOp, 403);
  const asked = await expectConforms(await askCloud("viewer", cloud.id), askOp, 201);
  expect(asked).toMatchObject({ state: "requested", materialised: false });
  await expectConforms(await askCloud("viewer", cloud.id), askOp, 409).then((p) => expect(p.code).toBe("duplicate_live_cloud_assignment"));
  const listed = await expectConforms(
    await request.get(`/v1/projects/${project.id}/cloud-assignments`, { headers: as("viewer") }),
    "GET /v1/projects/{id}/cloud-assignments",
    200,
  );
  expect(listed.items.map((a: { id: string; state: string }) => [a.id, a.state])).toEqual([
    [asked.id, "requested"],
    [granted.id, "revoked"],
  ]);
  await expectConforms(
    await request.post(`/v1/projects/${project.id}/credential-assignments`, { headers: as("viewer"), data: { cloud_id: cloud.id } }),
    "POST /v1/projects/{id}/credential-assignments",
    422,
  ).then((p) => expect(p.code).toBe("cloud_not_usable_in_project"));

  // The queue: filters and their codes, rows only for who may decide them.
  const listOp = "GET /v1/approvals";
  const queue = (who: keyof typeof callers, q: string) => request.get(`/v1/approvals?${q}`, { headers: as(who) });
  for (const [q, code] of [
    ["status=requested", "invalid_status"],
    ["kind=assignment", "invalid_kind"],
    ["cloud_id=x", "invalid_cloud_id"],
    ["domain_id=x", "invalid_domain_id"],
    ["limit=0", "invalid_limit"],
    ["cursor=garbage", "invalid_cursor"],
  ]) {
    await expectConforms(await queue("operator", q), listOp, 400).then((p) => expect(p.code, q).toBe(code));
  }
  const pending = await expectConforms(await queue("operator", `cloud_id=${cloud.id}&status=pending-approval`), listOp, 200);
  expect(pending.items).toHaveLength(1);
  expect(pending.items[0]).toMatchObject({
    id: asked.id,
    kind: "cloud_assignment",
    domain_id: DOMAIN,
    proposer_subject: `user:${callers.viewer.userId}`,
    target_resource: `cloud:${cloud.id}`,
    state: "pending-approval",
    project_id: project.id,
    materialised: false,
  });
  await expectConforms(await queue("viewer", `cloud_id=${cloud.id}`), listOp, 200).then((l) => expect(l.items).toEqual([]));
  await expectConforms(await queue("operator", `cloud_id=${cloud.id}&domain_id=${crypto.randomUUID()}`), listOp, 200).then((l) =>
    expect(l.items).toEqual([]),
  );
  const paged = await expectConforms(await queue("operator", `cloud_id=${cloud.id}&limit=1`), listOp, 200);
  expect(paged.next_cursor).toBeTruthy();
  await expectConforms(
    await queue("viewer", `cloud_id=${cloud.id}&limit=1&cursor=${encodeURIComponent(paged.next_cursor)}`),
    listOp,
    403,
  ).then((p) => expect(p.code).toBe("cursor_binding_mismatch"));
  const getOp = "GET /v1/approvals/{id}";
  await expectConforms(await request.get(`/v1/approvals/${asked.id}`, { headers: as("operator") }), getOp, 200);
  await expectConforms(await request.get("/v1/approvals/nope", { headers: as("operator") }), getOp, 400).then((p) =>
    expect(p.code).toBe("invalid_approval_id"),
  );
  await expectConforms(await request.get(`/v1/approvals/${asked.id}`, { headers: as("stranger") }), getOp, 404).then((p) =>
    expect(p.code).toBe("approval_not_found"),
  );

  const approveOp = "POST /v1/approvals/{id}/approve";
  const approve = (who: keyof typeof callers, id: string) => request.post(`/v1/approvals/${id}/approve`, { headers: as(who) });
  await expectConforms(await approve("viewer", asked.id), approveOp, 403);
  const approved = await expectConforms(await approve("operator", asked.id), approveOp, 200);
  expect(approved).toMatchObject({ state: "approved", materialised: true, decided_by_subject: `user:${callers.operator.userId}` });
  await expectConforms(await approve("operator", asked.id), approveOp, 409).then((p) => expect(p.code).toBe("illegal_transition"));

  // Self-approval is refused; break-glass is a platform operator's, with a justification that lands in its own audit entry.
  const other = await newCloud();
  const own = await expectConforms(await askCloud("operator", other.id), askOp, 201);
  await expectConforms(await approve("operator", own.id), approveOp, 403).then((p) => expect(p.code).toBe("self_approval_denied"));
  const glassOp = "POST /v1/approvals/{id}/break-glass";
  const breakGlass = (who: keyof typeof callers, reason: string) =>
    request.post(`/v1/approvals/${own.id}/break-glass`, { headers: as(who), data: { reason } });
  const justification = `Incident ${uniqueSlug("inc")}: the Cloud's second manager is away`;
  await expectConforms(await breakGlass("owner", justification), glassOp, 403);
  await expectConforms(await breakGlass("operator", "too short"), glassOp, 400).then((p) =>
    expect(p.code).toBe("invalid_break_glass_reason"),
  );
  const glassed = await expectConforms(await breakGlass("operator", justification), glassOp, 200);
  expect(glassed).toMatchObject({ state: "approved", materialised: true });
  expect(glassed.decision_reason).toBeUndefined();
  const audit = await expectConforms(
    await request.get(`/v1/audit/entries?cloud_id=${other.id}&action=cloud_assignment.break_glass`, { headers: as("operator") }),
    "GET /v1/audit/entries",
    200,
  );
  expect(audit.items).toHaveLength(1);
  expect(audit.items[0]).toMatchObject({ actor_id: callers.operator.userId, outcome: "succeeded" });
  expect(audit.items[0].reason).toContain(justification);

  // Credential requests in the now usable Cloud: rejected through the queue, approved the June way.
  const credential = await (
    await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: as("operator"),
      data: { display_name: "queued", payload: b64("s"), allow_unusual_shape: true },
    })
  ).json();
  const askCredential = async () =>
    expectConforms(
      await request.post(`/v1/projects/${project.id}/credential-assignments`, { headers: as("viewer"), data: { cloud_id: cloud.id } }),
      "POST /v1/projects/{id}/credential-assignments",
      201,
    );
  const first = await askCredential();
  expect(first.cloud_credential_id).toBe(credential.id);
  const rejectOp = "POST /v1/approvals/{id}/reject";
  const reject = (reason: string) => request.post(`/v1/approvals/${first.id}/reject`, { headers: as("owner"), data: { reason } });
  await expectConforms(await reject(" "), rejectOp, 400).then((p) => expect(p.code).toBe("invalid_decision_reason"));
  const rejected = await expectConforms(await reject("use the staging Cloud"), rejectOp, 200);
  expect(rejected).toMatchObject({
    kind: "credential_assignment",
    state: "rejected",
    target_resource: `cloud_credential:${credential.id}`,
    decision_reason: "use the staging Cloud",
  });
  const second = await askCredential();
  const june = await expectConforms(
    await request.post(`/v1/credential-assignments/${second.id}/approve`, { headers: as("owner") }),
    "POST /v1/credential-assignments/{id}/approve",
    200,
  );
  expect(june).toMatchObject({ id: second.id, state: "approved", materialised: true });
  await expectConforms(await request.get(`/v1/approvals/${second.id}`, { headers: as("owner") }), getOp, 200).then((a) =>
    expect(a.state).toBe("approved"),
  );
  // Revoking the Cloud assignment takes the Project's credential assignment of it along.
  await expectConforms(await revoke("operator", asked.id), revokeOp, 200);
  await expectConforms(await request.get(`/v1/approvals/${second.id}`, { headers: as("owner") }), getOp, 200).then((a) =>
    expect(a.state).toBe("revoked"),
  );
});
