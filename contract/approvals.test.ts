import assert from "node:assert/strict";
import { before, test } from "node:test";
import { type Cast, contract, type Schemas, signInCast } from "./harness";

/**
 * The newer plexsphere v1 operations we serve (Python SDK 50f9aff): the
 * approval queue and the Cloud assignment lifecycle, driven with the
 * harness's clients typed from contract/newer/approvals.yaml, every answer
 * checked by contract/conformance.ts against that fragment (and the newest
 * Problem); the June operations this suite needs as givens go through the
 * June clients, and the June grant is also read as the fragment's
 * CloudAssignmentResponse.
 */
let people: Cast;

before(async () => {
  people = await signInCast();
});

/** A Project of the caller's Domain, with the given people holding a relation on it. */
async function projectWith(name: string, relations: [keyof Cast, string][]) {
  const { catalog } = people.operator;
  const domain_id = (await catalog.GET("/v1/auth/whoami")).data!.domain_id!;
  const created = await catalog.POST("/v1/projects", { body: { domain_id, name, slug: `${name.toLowerCase()}-${Date.now()}` } });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const project: Schemas["ProjectResponse"] = created.data!;
  for (const [who, relation] of relations) {
    const tuple = await catalog.POST("/v1/authz/relation-tuples", {
      params: { query: { project_id: project.id } },
      body: { subject: `user:${people[who].id}`, relation, resource: `project:${project.id}` },
    });
    assert.equal(tuple.response.status, 201, JSON.stringify(tuple.error));
  }
  return project;
}

/** A Cloud created by the operator. */
async function cloud(slug: string) {
  const created = await people.operator.catalog.POST("/v1/clouds", {
    body: { display_name: slug, slug, provider: "aws", endpoint: {}, region_defaults: {}, external_id: slug },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  return created.data!;
}

test("a Project asks for a Cloud, its manager decides in the queue, break-glass and revoke: every answer as the newer contract says", async () => {
  const operator = people.operator.newer.approvals;
  const viewer = people.viewer.newer.approvals;
  const project = await projectWith("Newer", [
    ["viewer", "deploy"],
    ["operator", "deploy"],
  ]);
  const asked = await cloud(`asked-${Date.now()}`);
  const granted = await cloud(`granted-${Date.now()}`);

  // June's grant, read both ways: the June subset's operation (the harness) and the newer CloudAssignmentResponse.
  const grant = () =>
    people.operator.catalog.POST("/v1/clouds/{id}/cloud-assignments", {
      params: { path: { id: granted.id } },
      body: { project_id: project.id },
    });
  const first = await grant();
  contract.conforms("approvals.yaml", "CloudAssignmentResponse", first.data);
  assert.equal(first.data?.state, "approved", JSON.stringify(first.error));
  const twice = await grant();
  assert.equal(twice.error?.code, "duplicate_live_cloud_assignment");

  const id = { params: { path: { id: project.id } } };
  const request = await viewer.POST("/v1/projects/{id}/cloud-assignments", { ...id, body: { cloud_id: asked.id } });
  assert.equal(request.data?.state, "requested", JSON.stringify(request.error));
  const duplicate = await viewer.POST("/v1/projects/{id}/cloud-assignments", { ...id, body: { cloud_id: asked.id } });
  assert.equal(duplicate.error?.code, "duplicate_live_cloud_assignment");
  const listed = await viewer.GET("/v1/projects/{id}/cloud-assignments", id);
  assert.equal(listed.data?.items.length, 2);

  const queue = await operator.GET("/v1/approvals", { params: { query: { cloud_id: asked.id, status: "pending-approval" } } });
  assert.deepEqual(
    queue.data?.items.map((a) => [a.id, a.kind, a.state]),
    [[request.data!.id, "cloud_assignment", "pending-approval"]],
  );
  assert.equal((await operator.GET("/v1/approvals", { params: { query: { kind: "approval" } } })).data?.items.length, 0);
  const row = { params: { path: { id: request.data!.id } } };
  assert.equal((await operator.GET("/v1/approvals/{id}", row)).data?.target_resource, `cloud:${asked.id}`);
  assert.equal((await viewer.POST("/v1/approvals/{id}/approve", row)).response.status, 403);
  const approved = await operator.POST("/v1/approvals/{id}/approve", row);
  assert.equal(approved.data?.state, "approved", JSON.stringify(approved.error));
  assert.equal((await operator.POST("/v1/approvals/{id}/reject", { ...row, body: { reason: "late" } })).error?.code, "illegal_transition");

  // The operator's own request: self-approval refused, break-glass accepted (our deviation), with its justification.
  const third = await cloud(`glass-${Date.now()}`);
  const own = await operator.POST("/v1/projects/{id}/cloud-assignments", { ...id, body: { cloud_id: third.id } });
  const ownRow = { params: { path: { id: own.data!.id } } };
  assert.equal((await operator.POST("/v1/approvals/{id}/approve", ownRow)).error?.code, "self_approval_denied");
  const short = await operator.POST("/v1/approvals/{id}/break-glass", { ...ownRow, body: { reason: "short" } });
  assert.equal(short.error?.code, "invalid_break_glass_reason");
  const glassed = await operator.POST("/v1/approvals/{id}/break-glass", {
    ...ownRow,
    body: { reason: "Incident: the second approver is away" },
  });
  assert.equal(glassed.data?.state, "approved", JSON.stringify(glassed.error));

  const revoke = await viewer.POST("/v1/cloud-assignments/{id}/revoke", {
    params: { path: { id: first.data!.id } },
    body: { reason: "done" },
  });
  assert.equal(revoke.data?.state, "revoked", JSON.stringify(revoke.error));
  const again = await viewer.POST("/v1/cloud-assignments/{id}/revoke", {
    params: { path: { id: first.data!.id } },
    body: { reason: "done" },
  });
  assert.equal(again.error?.code, "illegal_transition");
});

test("a credential request decided in the queue; June's approve path still answers", async () => {
  const owner = people.owner.newer.approvals;
  const { catalog } = people.operator;
  const project = await projectWith("Queue", [
    ["owner", "manage"],
    ["viewer", "deploy"],
  ]);
  const queued = await cloud(`queue-${Date.now()}`);
  const path = { id: queued.id };
  const assigned = await catalog.POST("/v1/clouds/{id}/cloud-assignments", { params: { path }, body: { project_id: project.id } });
  assert.equal(assigned.response.status, 201, JSON.stringify(assigned.error));
  const issued = await catalog.POST("/v1/clouds/{id}/cloud-credentials", {
    params: { path },
    // allow_unusual_shape is our extension (a one-byte payload), beyond the June request type.
    body: {
      display_name: "queued",
      payload: Buffer.from("x").toString("base64"),
      allow_unusual_shape: true,
    } as Schemas["CloudCredentialIssueRequest"],
  });
  assert.equal(issued.response.status, 201, JSON.stringify(issued.error));
  const ask = async () => {
    const asked = await people.viewer.catalog.POST("/v1/projects/{id}/credential-assignments", {
      params: { path: { id: project.id } },
      body: { cloud_id: queued.id },
    });
    assert.equal(asked.response.status, 201, JSON.stringify(asked.error));
    return asked.data!;
  };
  const first = await ask();
  const rejected = await owner.POST("/v1/approvals/{id}/reject", { params: { path: { id: first.id } }, body: { reason: "not this one" } });
  assert.equal(rejected.data?.state, "rejected", JSON.stringify(rejected.error));
  assert.equal(rejected.data?.decision_reason, "not this one");
  const second = await ask();
  const juneApprove = await people.owner.catalog.POST("/v1/credential-assignments/{id}/approve", { params: { path: { id: second.id } } });
  assert.equal(juneApprove.data?.state, "approved", JSON.stringify(juneApprove.error));
  assert.equal((await owner.GET("/v1/approvals/{id}", { params: { path: { id: second.id } } })).data?.state, "approved");
});

test("every newer operation in contract/newer/approvals.yaml was called", () => {
  assert.deepEqual(
    contract.operationsOf("approvals.yaml").filter((op) => !contract.exercised.has(op)),
    [],
  );
});
