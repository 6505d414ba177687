import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { availableCredentials, decideAssignment, requestAssignment } from "@/lib/assignments/service";
import { createCloud } from "@/lib/clouds/service";
import { shareCloud } from "@/lib/clouds/sharing";
import { authorizeIssue } from "@/lib/credentials/issue";
import {
  authorizeCloudAssignmentRevoke,
  listProjectCloudAssignments,
  requestCloudForProject,
  assignCloudToProject,
} from "@/lib/projects/cloud-assignments";
import { addMember, createProject } from "@/lib/projects/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import {
  authorizeApprovalDecision,
  authorizeBreakGlass,
  countPendingForDecision,
  getApproval,
  listApprovals,
  pendingForDecision,
} from "./service";

/** A Project (owner, deployer), a Cloud managed by `cloudManager` with one credential, and a stranger. */
async function world() {
  const db = await testDatabase();
  const store = new EmbeddedSecretStore(db, randomBytes(32));
  const operator = await createTestUser({ platformAdmin: true, label: "operator" });
  const cloudManager = await createTestUser({ label: "cloud-manager" });
  const owner = await createTestUser({ label: "owner" });
  const deployer = await createTestUser({ label: "deployer" });
  const stranger = await createTestUser({ label: "stranger" });
  const project = await createProject(operator, { name: "Ledger", slug: uniqueSlug("ledger") });
  await addMember(operator, project.id, owner.email, "manage");
  await addMember(owner, project.id, deployer.email, "deploy");
  const cloud = await createCloud(operator, {
    display_name: "Requested",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  await shareCloud(operator, cloud.id, cloudManager.email, "manage");
  const credential = await (await authorizeIssue(cloudManager, cloud.id, { store })).issue({
    displayName: "ledger-key",
    payload: new TextEncoder().encode("x"),
    keyValues: {},
    allowUnusualShape: true,
  });
  return { db, operator, cloudManager, owner, deployer, stranger, project, cloud, credential };
}

describe("the Cloud assignment lifecycle and the approval queue", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a Project asks for a Cloud; it is usable only once the Cloud's manager approves, and a live pair is asked once", async () => {
    const w = await world();
    const asked = await requestCloudForProject(w.deployer, w.project.id, w.cloud.id);
    assert.equal(asked.state, "requested");
    await assert.rejects(requestCloudForProject(w.owner, w.project.id, w.cloud.id), {
      code: "duplicate_live_cloud_assignment",
      status: 409,
    });
    await assert.rejects(assignCloudToProject(w.cloudManager, w.cloud.id, w.project.id), { code: "duplicate_live_cloud_assignment" });
    await assert.rejects(requestCloudForProject(w.stranger, w.project.id, w.cloud.id), { code: "permission_denied" });
    await assert.rejects(requestCloudForProject(w.deployer, w.project.id, randomUUID()), { code: "invalid_cloud_id", status: 400 });

    assert.deepEqual(await availableCredentials(w.deployer, w.project.id), [], "a requested Cloud offers nothing yet");
    await assert.rejects(requestAssignment(w.deployer, w.project.id, { cloudId: w.cloud.id }), { code: "cloud_not_usable_in_project" });

    const row = await getApproval(w.cloudManager, asked.id);
    assert.equal(row.kind, "cloud_assignment");
    assert.equal(row.state, "requested");
    assert.ok((await pendingForDecision(w.cloudManager)).items.some((a) => a.id === asked.id));
    assert.equal(await countPendingForDecision(w.deployer), 0, "the requester decides nothing");
    await assert.rejects(
      authorizeApprovalDecision(w.owner, asked.id),
      { code: "permission_denied" },
      "a Project owner does not decide a Cloud",
    );
    await assert.rejects(authorizeApprovalDecision(w.stranger, asked.id), { code: "approval_not_found", status: 404 });

    const approved = await (await authorizeApprovalDecision(w.cloudManager, asked.id)).approve();
    assert.equal(approved.state, "approved");
    assert.equal(approved.decidedById, w.cloudManager.id);
    assert.deepEqual(
      (await availableCredentials(w.deployer, w.project.id)).map((c) => c.id),
      [w.credential.id],
    );
    const page = await listProjectCloudAssignments(w.deployer, w.project.id);
    assert.deepEqual(
      page.items.map((a) => [a.id, a.state]),
      [[asked.id, "approved"]],
    );
  });

  test("nobody approves their own Cloud request; rejecting needs a reason", async () => {
    const w = await world();
    await addMember(w.operator, w.project.id, w.cloudManager.email, "deploy");
    const own = await requestCloudForProject(w.cloudManager, w.project.id, w.cloud.id);
    const permit = await authorizeApprovalDecision(w.cloudManager, own.id);
    await assert.rejects(permit.approve(), { code: "self_approval_denied", status: 403 });
    await assert.rejects(permit.reject("   "), { code: "invalid_decision_reason", status: 400 });
    assert.equal((await permit.reject("use the shared Cloud")).state, "rejected");
    // The operator created the Cloud, so manages it too: a second party, but the row is decided.
    await assert.rejects((await authorizeApprovalDecision(w.operator, own.id)).approve(), { code: "illegal_transition", status: 409 });
  });

  test("revoking a Cloud assignment: the Cloud's manager or the Project's deployers, only from approved, and its credential assignments go too", async () => {
    const w = await world();
    const granted = await assignCloudToProject(w.cloudManager, w.cloud.id, w.project.id);
    const use = await requestAssignment(w.deployer, w.project.id, { cloudCredentialId: w.credential.id });
    // The newer gate: the credential's Cloud's manager decides a credential request too.
    await decideAssignment(w.cloudManager, use.id, "approve");
    await assert.rejects(authorizeCloudAssignmentRevoke(w.stranger, granted.id), { code: "cloud_assignment_not_found", status: 404 });
    const revoked = await (await authorizeCloudAssignmentRevoke(w.deployer, granted.id)).revoke("project closed");
    assert.equal(revoked.state, "revoked");
    assert.equal((await w.db.credentialAssignment.findUniqueOrThrow({ where: { id: use.id } })).state, "revoked");
    assert.deepEqual(await availableCredentials(w.deployer, w.project.id), []);
    await assert.rejects((await authorizeCloudAssignmentRevoke(w.cloudManager, granted.id)).revoke("again"), {
      code: "illegal_transition",
    });
    // A new grant may follow a revoked one.
    assert.equal((await assignCloudToProject(w.cloudManager, w.cloud.id, w.project.id)).state, "approved");
  });

  test("a Project's deployer may revoke its own credential assignment (newer gate) but not approve one", async () => {
    const w = await world();
    await assignCloudToProject(w.cloudManager, w.cloud.id, w.project.id);
    const use = await requestAssignment(w.owner, w.project.id, { cloudCredentialId: w.credential.id });
    await assert.rejects(decideAssignment(w.deployer, use.id, "approve"), { code: "permission_denied" });
    await decideAssignment(w.cloudManager, use.id, "approve");
    assert.equal((await decideAssignment(w.deployer, use.id, "revoke", "not needed")).state, "revoked");
    await assert.rejects(decideAssignment(w.stranger, use.id, "revoke", "x"), { code: "credential_assignment_not_found" });
  });

  test("the queue: both kinds, filtered, each row only for who may decide it (every row for an operator)", async () => {
    const w = await world();
    const cloudAsk = await requestCloudForProject(w.deployer, w.project.id, w.cloud.id);
    await (await authorizeApprovalDecision(w.cloudManager, cloudAsk.id)).approve();
    const credentialAsk = await requestAssignment(w.deployer, w.project.id, { cloudCredentialId: w.credential.id });
    const mine = (await listApprovals(w.cloudManager, { cloudId: w.cloud.id }, { limit: 50 })).items;
    assert.deepEqual(
      mine.map((a) => [a.id, a.kind, a.state]),
      [
        [cloudAsk.id, "cloud_assignment", "approved"],
        [credentialAsk.id, "credential_assignment", "requested"],
      ],
    );
    const waiting = await listApprovals(w.cloudManager, { status: "pending-approval", cloudId: w.cloud.id }, { limit: 50 });
    assert.deepEqual(
      waiting.items.map((a) => a.id),
      [credentialAsk.id],
    );
    const cloudsOnly = await listApprovals(w.cloudManager, { kind: "cloud_assignment", cloudId: w.cloud.id }, { limit: 1 });
    assert.deepEqual(
      cloudsOnly.items.map((a) => a.id),
      [cloudAsk.id],
    );
    assert.deepEqual((await listApprovals(w.cloudManager, { status: "expired" }, { limit: 50 })).items, []);
    assert.deepEqual((await listApprovals(w.stranger, {}, { limit: 50 })).items, [], "a caller allowed nothing sees nothing");
    const owners = (await listApprovals(w.owner, { cloudId: w.cloud.id }, { limit: 50 })).items.map((a) => a.id);
    assert.deepEqual(owners, [credentialAsk.id], "a Project owner decides credential requests (June's gate), not Clouds");
    const operators = (await listApprovals(w.operator, { cloudId: w.cloud.id }, { limit: 50 })).items.map((a) => a.id);
    assert.deepEqual(operators, [cloudAsk.id, credentialAsk.id]);
    await assert.rejects(getApproval(w.stranger, credentialAsk.id), { code: "approval_not_found", status: 404 });
    await assert.rejects(getApproval(w.deployer, credentialAsk.id), { code: "permission_denied", status: 403 });
  });

  test("break-glass: a platform operator alone, own requests included, with a justification the audit entry keeps", async () => {
    const w = await world();
    await addMember(w.operator, w.project.id, w.operator.email, "deploy");
    const ask = await requestCloudForProject(w.operator, w.project.id, w.cloud.id);
    await assert.rejects(authorizeBreakGlass(w.cloudManager, ask.id), { code: "permission_denied", status: 403 });
    await assert.rejects(authorizeBreakGlass(w.operator, randomUUID()), { code: "approval_not_found", status: 404 });
    const glass = await authorizeBreakGlass(w.operator, ask.id);
    await assert.rejects(glass.breakGlass("too short"), { code: "invalid_break_glass_reason", status: 400 });
    const justification = "Incident 4711: payments down, owner unreachable";
    const approved = await glass.breakGlass(justification);
    assert.equal(approved.state, "approved");
    assert.equal(approved.reason, null, "the justification is not shown on the row");
    const entry = await w.db.auditEntry.findFirstOrThrow({ where: { action: "cloud_assignment.break_glass", actorId: w.operator.id } });
    assert.ok(entry.reason?.includes(justification));
    await assert.rejects(glass.breakGlass(justification), { code: "illegal_transition", status: 409 });

    const use = await requestAssignment(w.operator, w.project.id, { cloudCredentialId: w.credential.id });
    await (await authorizeBreakGlass(w.operator, use.id)).breakGlass(justification);
    assert.equal((await w.db.credentialAssignment.findUniqueOrThrow({ where: { id: use.id } })).state, "approved");
    assert.ok(await w.db.auditEntry.findFirst({ where: { action: "credential_assignment.break_glass", targetId: use.id } }));
  });
});
