import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud } from "@/lib/clouds/service";
import { sweepExpiredCredentials } from "@/lib/credentials/lifecycle";
import { authorizeIssue } from "@/lib/credentials/issue";
import { revokeCloudCredential } from "@/lib/credentials/revoke";
import { addMember, assignCloudToProject, createProject } from "@/lib/projects/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { TRANSITIONS, availableCredentials, decideAssignment, requestAssignment, type AssignmentState, type Decision } from "./service";
import { INBOX_PAGE_LIMIT, countPendingForDecision, pendingForDecision, type ApprovalCursor as InboxCursor } from "@/lib/approvals/service";

/** The moves a decider makes (break-glass is the approvals queue's, tested in lib/approvals). */
const DECISIONS = (Object.keys(TRANSITIONS) as Decision[]).filter((d): d is Exclude<Decision, "break_glass"> => d !== "break_glass");

/** A Project owned by `owner` with `member` deploying, one usable Cloud with one credential, and an unrelated Cloud. */
async function world() {
  const db = await testDatabase();
  const store = new EmbeddedSecretStore(db, randomBytes(32));
  const operator = await createTestUser({ platformAdmin: true, label: "operator" });
  const owner = await createTestUser({ label: "owner" });
  const member = await createTestUser({ label: "member" });
  const project = await createProject(operator, { name: "Payments", slug: uniqueSlug("payments") });
  await addMember(operator, project.id, owner.email, "manage");
  await addMember(owner, project.id, member.email, "deploy");
  const cloudInput = () => ({
    display_name: "C",
    slug: uniqueSlug(),
    provider: "aws" as const,
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  const cloud = await createCloud(operator, cloudInput());
  const otherCloud = await createCloud(operator, cloudInput());
  await assignCloudToProject(operator, cloud.id, project.id);
  const issue = async (cloudId: string, name: string) =>
    (await authorizeIssue(operator, cloudId, { store })).issue({
      displayName: name,
      payload: new TextEncoder().encode(name),
      keyValues: {},
      allowUnusualShape: true,
    });
  const credential = await issue(cloud.id, "usable");
  const elsewhere = await issue(otherCloud.id, "elsewhere");
  return { db, store, operator, owner, member, project, cloud, otherCloud, credential, elsewhere, issue };
}

/** Every page of an actor's inbox. */
async function wholeInbox(actor: Parameters<typeof pendingForDecision>[0]) {
  const all = [];
  let after: InboxCursor | undefined;
  do {
    const page = await pendingForDecision(actor, { after });
    assert.ok(page.items.length <= INBOX_PAGE_LIMIT);
    all.push(...page.items);
    after = page.next;
  } while (after);
  return all;
}

/** Drives a fresh assignment into `state` along allowed moves. */
async function assignmentIn(state: AssignmentState) {
  const w = await world();
  const assignment = await requestAssignment(w.member, w.project.id, { cloudCredentialId: w.credential.id });
  if (state === "approved" || state === "revoked") await decideAssignment(w.owner, assignment.id, "approve");
  if (state === "revoked") await decideAssignment(w.owner, assignment.id, "revoke", "project closed");
  if (state === "rejected") await decideAssignment(w.owner, assignment.id, "reject", "use the staging one");
  return { ...w, assignment };
}

describe("the credential assignment state machine", () => {
  before(testDatabase);
  after(closeTestDatabase);

  for (const decision of DECISIONS) {
    const { from, to } = TRANSITIONS[decision];
    test(`${from} --${decision}--> ${to}, decided by someone else, recorded`, async () => {
      const { db, owner, assignment } = await assignmentIn(from);
      const decided = await decideAssignment(owner, assignment.id, decision, "because");
      assert.equal(decided.state, to);
      assert.equal(decided.decidedById, owner.id);
      const entry = await db.auditEntry.findFirst({ where: { targetId: assignment.id, action: `assignment.${decision}` } });
      assert.equal(entry?.actorId, owner.id);
    });
  }

  const states: AssignmentState[] = ["requested", "approved", "rejected", "revoked"];
  for (const decision of DECISIONS) {
    for (const state of states.filter((s) => s !== TRANSITIONS[decision].from)) {
      test(`${decision} from ${state} is an illegal transition and changes nothing`, async () => {
        const { db, owner, assignment } = await assignmentIn(state);
        await assert.rejects(decideAssignment(owner, assignment.id, decision), { code: "illegal_transition", status: 409 });
        assert.equal((await db.credentialAssignment.findUniqueOrThrow({ where: { id: assignment.id } })).state, state);
      });
    }
  }

  test("the requester may not approve their own request, even as an owner; a member without manage may not decide", async () => {
    const w = await world();
    const own = await requestAssignment(w.owner, w.project.id, { cloudCredentialId: w.credential.id });
    await assert.rejects(decideAssignment(w.owner, own.id, "approve"), { code: "self_approval_denied", status: 403 });
    await assert.rejects(decideAssignment(w.member, own.id, "approve"), { code: "permission_denied" });
    assert.deepEqual((await wholeInbox(w.owner)).map((a) => a.id).includes(own.id), false, "not in your own inbox");
    assert.equal(
      (await wholeInbox(w.operator)).some((a) => a.id === own.id),
      true,
      "a platform admin manages every Project",
    );
    assert.equal((await decideAssignment(w.operator, own.id, "approve")).state, "approved");
  });

  test("one live request per pair; after a rejection a new one may be made", async () => {
    const { member, owner, project, credential } = await world();
    const first = await requestAssignment(member, project.id, { cloudCredentialId: credential.id });
    await assert.rejects(requestAssignment(member, project.id, { cloudCredentialId: credential.id }), {
      code: "duplicate_live_assignment",
      status: 409,
    });
    await decideAssignment(owner, first.id, "reject");
    const second = await requestAssignment(member, project.id, { cloudCredentialId: credential.id });
    assert.equal(second.state, "requested");
  });

  test("only credentials of usable Clouds, and only active ones, can be requested or approved", async () => {
    const w = await world();
    // A member who may not see the other Cloud hears what a missing id gets; someone who sees it learns why.
    await assert.rejects(requestAssignment(w.member, w.project.id, { cloudCredentialId: w.elsewhere.id }), {
      code: "cloud_credential_not_found",
      status: 404,
    });
    await assert.rejects(requestAssignment(w.member, w.project.id, { cloudCredentialId: randomUUID() }), {
      code: "cloud_credential_not_found",
      status: 404,
    });
    await addMember(w.operator, w.project.id, w.operator.email, "deploy");
    await assert.rejects(requestAssignment(w.operator, w.project.id, { cloudCredentialId: w.elsewhere.id }), {
      code: "cloud_not_usable_in_project",
      status: 422,
    });
    const pending = await requestAssignment(w.member, w.project.id, { cloudCredentialId: w.credential.id });
    await revokeCloudCredential(w.operator, w.credential.id, "compromised", { store: w.store });
    await assert.rejects(decideAssignment(w.owner, pending.id, "approve"), { code: "credential_not_assignable", status: 422 });
    assert.equal(
      (await w.db.credentialAssignment.findUniqueOrThrow({ where: { id: pending.id } })).state,
      "revoked",
      "the revoke took the request with it",
    );
    await assert.rejects(requestAssignment(w.member, w.project.id, { cloudCredentialId: w.credential.id }), {
      code: "credential_not_assignable",
      status: 422,
    });
    assert.deepEqual(await availableCredentials(w.member, w.project.id), []);
  });

  test("by Cloud: the newest active credential is picked; none, or a Cloud not usable here, is a 422", async () => {
    const w = await world();
    const newer = await w.issue(w.cloud.id, "newer");
    const picked = await requestAssignment(w.member, w.project.id, { cloudId: w.cloud.id });
    assert.equal(picked.cloudCredentialId, newer.id);
    await assert.rejects(requestAssignment(w.member, w.project.id, { cloudId: w.otherCloud.id }), { code: "cloud_not_usable_in_project" });
    await revokeCloudCredential(w.operator, newer.id, "x", { store: w.store });
    await revokeCloudCredential(w.operator, w.credential.id, "x", { store: w.store });
    await assert.rejects(requestAssignment(w.member, w.project.id, { cloudId: w.cloud.id }), {
      code: "no_eligible_credential_for_cloud",
      status: 422,
    });
    await assert.rejects(requestAssignment(w.member, w.project.id, {}), { code: "invalid_body" });
    // Both named is the contract's own code, not invalid_body (issue 23).
    await assert.rejects(requestAssignment(w.member, w.project.id, { cloudCredentialId: w.credential.id, cloudId: w.cloud.id }), {
      code: "ambiguous_credential_target",
      status: 400,
    });
  });

  test("revoking a credential revokes its requested and approved assignments with it, and records each", async () => {
    const w = await world();
    const approved = await requestAssignment(w.member, w.project.id, { cloudCredentialId: w.credential.id });
    await decideAssignment(w.owner, approved.id, "approve");
    const second = await createProject(w.operator, { name: "Billing", slug: uniqueSlug("billing") });
    await addMember(w.operator, second.id, w.member.email, "deploy");
    await assignCloudToProject(w.operator, w.cloud.id, second.id);
    const requested = await requestAssignment(w.member, second.id, { cloudCredentialId: w.credential.id });
    await revokeCloudCredential(w.operator, w.credential.id, "compromised", { store: w.store });
    for (const id of [approved.id, requested.id]) {
      const row = await w.db.credentialAssignment.findUniqueOrThrow({ where: { id } });
      assert.equal(row.state, "revoked");
      assert.equal(row.decidedById, w.operator.id);
      assert.equal(await w.db.auditEntry.count({ where: { targetId: id, action: "assignment.revoke", actorId: w.operator.id } }), 1);
    }
  });

  test("an expired credential's live assignments are revoked by the sweeper", async () => {
    const w = await world();
    const approved = await requestAssignment(w.member, w.project.id, { cloudCredentialId: w.credential.id });
    await decideAssignment(w.owner, approved.id, "approve");
    // Time is moved for this credential only: a sweep at a future instant would expire every other test's too.
    await w.db.cloudCredential.update({ where: { id: w.credential.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await sweepExpiredCredentials();
    assert.equal((await w.db.credentialAssignment.findUniqueOrThrow({ where: { id: approved.id } })).state, "revoked");
  });

  test("50 approvals racing revokes of their credential: none ends approved on a revoked credential", async () => {
    const w = await world();
    const races: { credentialId: string; assignmentId: string }[] = [];
    for (let i = 0; i < 50; i++) {
      const credential = await w.issue(w.cloud.id, `race-${i}`);
      const assignment = await requestAssignment(w.member, w.project.id, { cloudCredentialId: credential.id });
      races.push({ credentialId: credential.id, assignmentId: assignment.id });
    }
    const outcomes: string[] = [];
    // Five races at a time keeps both sides inside the connection pool, so they really overlap.
    for (let i = 0; i < races.length; i += 5) {
      await Promise.all(
        races.slice(i, i + 5).flatMap(({ credentialId, assignmentId }) => [
          decideAssignment(w.owner, assignmentId, "approve").then(
            () => outcomes.push("approved"),
            (error: { code?: string }) => outcomes.push(error.code ?? String(error)),
          ),
          revokeCloudCredential(w.operator, credentialId, "race", { store: w.store }),
        ]),
      );
    }
    assert.deepEqual(
      [...new Set(outcomes)].filter((o) => !["approved", "credential_not_assignable"].includes(o)),
      [],
      "an approval either wins or is refused",
    );
    const approvedOnRevoked = await w.db.credentialAssignment.count({
      where: { id: { in: races.map((r) => r.assignmentId) }, state: "approved", cloudCredential: { revokedAt: { not: null } } },
    });
    assert.equal(approvedOnRevoked, 0);
  });

  test("members see the available credentials of usable Clouds only; outsiders may neither see nor request", async () => {
    const w = await world();
    const outsider = await createTestUser();
    assert.deepEqual(
      (await availableCredentials(w.member, w.project.id)).map((c) => c.id),
      [w.credential.id],
    );
    await assert.rejects(availableCredentials(outsider, w.project.id), { code: "permission_denied" });
    await assert.rejects(requestAssignment(outsider, w.project.id, { cloudCredentialId: w.credential.id }), { code: "permission_denied" });
    await assert.rejects(
      assignCloudToProject(w.owner, w.otherCloud.id, w.project.id),
      { code: "permission_denied" },
      "only the Cloud's manager makes it usable",
    );
  });

  test("the inbox holds requests for active credentials only, in bounded keyset pages, and the count agrees", async () => {
    const w = await world();
    const live = await requestAssignment(w.member, w.project.id, { cloudCredentialId: w.credential.id });
    const soon = await w.issue(w.cloud.id, "soon expired");
    const stale = await requestAssignment(w.member, w.project.id, { cloudCredentialId: soon.id });
    const before = await countPendingForDecision(w.owner);
    assert.deepEqual((await wholeInbox(w.owner)).map((a) => a.id).sort(), [live.id, stale.id].sort());
    assert.equal(before, 2);
    // Past its expiry but not yet swept: already out of the inbox.
    await w.db.cloudCredential.update({ where: { id: soon.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.deepEqual(
      (await wholeInbox(w.owner)).map((a) => a.id),
      [live.id],
    );
    assert.equal(await countPendingForDecision(w.owner), 1);

    for (let i = 0; i < 3; i++)
      await requestAssignment(w.member, w.project.id, { cloudCredentialId: (await w.issue(w.cloud.id, `p${i}`)).id });
    const first = await pendingForDecision(w.owner, { limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.next);
    const second = await pendingForDecision(w.owner, { limit: 2, after: first.next });
    assert.equal(second.items.length, 2);
    assert.equal(new Set([...first.items, ...second.items].map((a) => a.id)).size, 4, "pages do not overlap");
    assert.equal((await pendingForDecision(w.owner, { limit: 1000 })).items.length <= INBOX_PAGE_LIMIT, true);
    assert.equal(await countPendingForDecision(w.owner, 3), 3, "the count is capped");
  });
});
