import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { cloudsForPage, formatCredentialCount } from "@/lib/clouds/pages";
import { createCloud } from "@/lib/clouds/service";
import { sweepExpiredCredentials } from "@/lib/credentials/lifecycle";
import { cloudCredentialsForPage, expiringForPage } from "@/lib/credentials/pages";
import { listCloudCredentials } from "@/lib/credentials/read";
import { countPendingForDecision, pendingForDecision } from "@/lib/approvals/service";
import { grant } from "@/lib/authz/service";
import { PermissionDeniedError } from "@/lib/errors";
import { createProject, listProjectsPage } from "@/lib/projects/service";
import { listProjectMembersPage } from "@/lib/projects/members";
import { membersForPage, projectsForPage } from "@/lib/projects/pages";
import { issueToken } from "@/lib/tokens/service";
import { tokensForPage } from "@/lib/tokens/pages";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { FAR_FUTURE, seedCredentials, seedGroupObservingAll, seedProjectMembers, seedTokens } from "@/testing/seed-bulk";
import { countStatements } from "@/testing/statements";

/** The query string of a pager link, as the page receives it. */
const paramsOf = (href: string | undefined) => {
  assert.ok(href, "a pager link is there");
  return Object.fromEntries(new URL(href, "http://console.test").searchParams);
};

async function bigCloud(count: number) {
  const db = await testDatabase();
  const operator = await createTestUser({ platformAdmin: true });
  const cloud = await createCloud(operator, {
    display_name: "Big",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  await seedCredentials(db, cloud.id, operator.id, count, FAR_FUTURE);
  return { operator, cloud };
}

describe("console lists stay bounded", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("the Cloud page at 5,000 credentials renders at most 50 rows, with next and previous links that walk the whole list", async () => {
    const { operator, cloud } = await bigCloud(5000);
    const first = await cloudCredentialsForPage(operator, cloud.id, {});
    assert.equal(first.items.length, 50, `the Cloud page lists ${first.items.length} rows`);
    assert.equal(first.links.prev, undefined, "the first page has no previous page");
    assert.equal(first.items[0].displayName, "bulk-000001", "newest first");

    const second = await cloudCredentialsForPage(operator, cloud.id, paramsOf(first.links.next));
    assert.equal(second.items.length, 50);
    assert.equal(second.items[0].displayName, "bulk-000051", "the next page continues where the first ended");
    const back = await cloudCredentialsForPage(operator, cloud.id, paramsOf(second.links.prev));
    assert.deepEqual(
      back.items.map((c) => c.id),
      first.items.map((c) => c.id),
      "previous returns the same first page",
    );
    assert.equal(back.links.prev, undefined);

    // The /v1 list reads through the same function: oldest first, 200 at most.
    const api = await listCloudCredentials(operator, cloud.id, { limit: 200 });
    assert.equal(api.items.length, 200);
    assert.equal(api.items[0].displayName, "bulk-005000");
    assert.ok(api.next);
  });

  test("status filter and name search are done in the database, still one bounded page", async () => {
    const { operator, cloud } = await bigCloud(2000);
    const revoked = await cloudCredentialsForPage(operator, cloud.id, { status: "revoked" });
    assert.equal(revoked.items.length, 50);
    assert.ok(revoked.items.every((c) => c.status === "revoked"));
    const expired = await cloudCredentialsForPage(operator, cloud.id, { status: "expired" });
    assert.ok(expired.items.length > 0 && expired.items.every((c) => c.status === "expired"));
    const active = await cloudCredentialsForPage(operator, cloud.id, { status: "active" });
    assert.ok(active.items.length === 50 && active.items.every((c) => c.status === "active"));
    // The filter stays on the pager's links.
    assert.equal(paramsOf(active.links.next).status, "active");

    const found = await cloudCredentialsForPage(operator, cloud.id, { q: "BULK-00012" });
    assert.deepEqual(
      found.items.map((c) => c.displayName).sort(),
      Array.from({ length: 10 }, (_, i) => `bulk-00012${i}`),
    );
    assert.deepEqual(found.links, {});
    assert.deepEqual(
      (await cloudCredentialsForPage(operator, cloud.id, { q: "%" })).items,
      [],
      "% in a search is a literal, not a wildcard",
    );
    const odd = await cloudCredentialsForPage(operator, cloud.id, { status: "bogus", after: "not-a-cursor" });
    assert.equal(odd.status, "all");
    assert.equal(odd.items.length, 50, "an unreadable cursor shows the first page");
  });

  test("a cursor minted for one user shows another user the first page, never theirs", async () => {
    const { operator, cloud } = await bigCloud(120);
    const other = await createTestUser({ platformAdmin: true });
    const first = await cloudCredentialsForPage(operator, cloud.id, {});
    const replayed = await cloudCredentialsForPage(other, cloud.id, paramsOf(first.links.next));
    assert.equal(replayed.items[0].id, first.items[0].id);
  });

  test("Expiring soon at 3,000 live credentials shows 50, soonest first", async () => {
    const { operator } = await bigCloud(3000);
    const page = await expiringForPage(operator, 30, {}, FAR_FUTURE);
    assert.equal(page.items.length, 50);
    const times = page.items.map((c) => c.expiresAt.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.ok(page.links.next && !page.links.prev);
    const next = await expiringForPage(operator, 30, paramsOf(page.links.next), FAR_FUTURE);
    assert.equal(next.items.length, 50);
    assert.ok(next.items[0].expiresAt.getTime() >= times[times.length - 1]);
  });

  test("Expiring soon says which rows offer Renew and Rotate within its own statements: as many for 12 Clouds as for 3", async () => {
    const db = await testDatabase();
    const operator = await createTestUser({ platformAdmin: true });
    /** A viewer who manages every third Cloud (one of them through a group) and only observes the rest; one credential due on each. */
    async function viewerOf(clouds: number) {
      const viewer = await createTestUser();
      const group = await db.group.create({
        data: { id: randomUUID(), slug: uniqueSlug("managers"), displayName: "Managers", source: "manual" },
      });
      await db.groupMember.create({ data: { groupId: group.id, userId: viewer.id, source: "manual" } });
      const manages = new Map<string, boolean>();
      for (let i = 0; i < clouds; i++) {
        const cloud = await createCloud(operator, {
          display_name: `Due ${i}`,
          slug: uniqueSlug(),
          provider: "aws",
          external_id: randomUUID(),
          endpoint: {},
          region_defaults: {},
        });
        await seedCredentials(db, cloud.id, operator.id, 1, FAR_FUTURE);
        const manage = i % 3 === 0;
        const subject = i === 3 ? { type: "group" as const, id: group.id } : viewer.id;
        await grant(db, { type: "cloud", id: cloud.id }, manage ? "manage" : "observer", subject);
        manages.set(cloud.id, manage);
      }
      return { viewer, manages };
    }
    const pageFor = async (clouds: number) => {
      const { viewer, manages } = await viewerOf(clouds);
      const { result, count } = await countStatements(() => expiringForPage(viewer, 30, {}, FAR_FUTURE));
      assert.equal(result.items.length, clouds, "one due credential per Cloud");
      for (const c of result.items)
        assert.equal(c.mayManage, manages.get(c.cloudId), `Renew and Rotate on ${c.cloudSlug} exactly when the viewer manages it`);
      return count;
    };
    const few = await pageFor(3);
    const many = await pageFor(12);
    assert.equal(many, few, `the page asks ${few} statements for 3 Clouds and ${many} for 12`);

    // Platform administration shows every Cloud's due credentials, but manages only the Clouds one created.
    const { items } = await expiringForPage(await createTestUser({ platformAdmin: true }), 30, {}, FAR_FUTURE);
    assert.ok(items.length > 0 && items.every((c) => !c.mayManage), "a new administrator sees others' credentials, view only");
  });

  test("the Clouds list counts a big Cloud's credentials only up to 1,000+", async () => {
    const { operator, cloud } = await bigCloud(1500);
    const page = await cloudsForPage(operator, { q: cloud.slug });
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0].credentialCount, 1001, "counting stops one past the cap");
    assert.equal(formatCredentialCount(page.items[0].credentialCount), "1,000+");
    assert.equal(formatCredentialCount(999), "999");
    assert.deepEqual(page.items[0].endpoint, {}, "metadata comes back as the object it is");
  });

  test("one sweep expires 2,500 due credentials with their assignments, outbox and audit rows", async () => {
    const db = await testDatabase();
    const { operator, cloud } = await bigCloud(2500);
    // A project holding a live assignment on one of them, to see the cascade.
    const projectId = randomUUID();
    await db.project.create({ data: { id: projectId, slug: uniqueSlug("p"), name: "P", createdById: operator.id } });
    const [target] = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM cloud_credentials WHERE cloud_id = ${cloud.id}::uuid AND revoked_at IS NULL AND expired_at IS NULL LIMIT 1`;
    const assignment = await db.credentialAssignment.create({
      data: { id: randomUUID(), projectId, cloudCredentialId: target.id, state: "approved", requestedById: operator.id },
    });
    const live = await db.cloudCredential.count({ where: { cloudId: cloud.id, revokedAt: null, expiredAt: null } });
    // Only this Cloud's rows are moved into the past: a sweep at a future instant would expire other tests' too.
    await db.cloudCredential.updateMany({ where: { cloudId: cloud.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const stamped = new Set(await sweepExpiredCredentials());
    const ours = await db.cloudCredential.findMany({
      where: { cloudId: cloud.id, revokedAt: null, expiredAt: { not: null } },
      select: { id: true },
    });
    assert.equal(ours.filter((c) => stamped.has(c.id)).length, live, "every live one was stamped in this sweep");
    assert.equal(await db.secretRevocation.count({ where: { credentialId: { in: [...stamped] }, cause: "expiry" } }), stamped.size);
    assert.equal(await db.auditEntry.count({ where: { action: "credential.expire", targetId: { in: [...stamped] } } }), stamped.size);
    const after = await db.credentialAssignment.findUniqueOrThrow({ where: { id: assignment.id } });
    assert.equal(after.state, "revoked");
    assert.equal(after.reason, "credential expired");
    const trail = await db.auditEntry.findFirstOrThrow({ where: { action: "assignment.revoke", targetId: assignment.id } });
    assert.equal(trail.actorId, null);
    assert.equal(trail.reason, `project=${projectId} credential=${target.id}: credential expired`);
    assert.deepEqual(await sweepExpiredCredentials().then((ids) => ids.filter((id) => stamped.has(id))), [], "only once");
  });

  test("Projects and tokens page forward and back through the same functions as /v1", async () => {
    const db = await testDatabase();
    const admin = await createTestUser({ platformAdmin: true });
    const member = await createTestUser();
    const tag = uniqueSlug("pg");
    const projects = [];
    for (const n of [3, 1, 2]) projects.push(await createProject(admin, { name: `P${n}`, slug: `${tag}-${n}` }));
    for (const p of projects) await grant(db, { type: "project", id: p.id }, "deploy", member.id);

    const first = await listProjectsPage(member, { limit: 2 });
    assert.deepEqual(
      first.items.map((p) => p.slug),
      [`${tag}-1`, `${tag}-2`],
    );
    const second = await listProjectsPage(member, { limit: 2, after: first.next });
    assert.deepEqual(
      second.items.map((p) => p.slug),
      [`${tag}-3`],
    );
    assert.equal(second.next, undefined);
    assert.deepEqual(
      (await listProjectsPage(member, { limit: 2, before: second.prev })).items.map((p) => p.slug),
      [`${tag}-1`, `${tag}-2`],
    );
    assert.equal((await projectsForPage(member, {})).items.length, 3);
    assert.deepEqual((await listProjectsPage(await createTestUser(), { limit: 2 })).items, [], "no Project observed, none listed");

    // Five past a page: one minted through the service, the rest seeded (minting is rate limited per account).
    await issueToken(member, { envPrefix: "dev" });
    await seedTokens(db, member.id, 54, new Date(Date.now() - 1000));
    const tokens = await tokensForPage(member, {});
    assert.equal(tokens.items.length, 50);
    const rest = await tokensForPage(member, paramsOf(tokens.links.next));
    assert.equal(rest.items.length, 5);
    assert.equal(rest.links.next, undefined);
    assert.deepEqual(
      (await tokensForPage(member, paramsOf(rest.links.prev))).items.map((t) => t.id),
      tokens.items.map((t) => t.id),
    );
  });

  test("a Project with 2,000 members shows 50 on its page, with next and previous links; /v1 reads the same function", async () => {
    const db = await testDatabase();
    const admin = await createTestUser({ platformAdmin: true });
    const project = await createProject(admin, { name: "Crowded", slug: uniqueSlug("crowd") });
    const tag = uniqueSlug("m");
    await seedProjectMembers(db, project.id, tag, 2000);
    const viewer = await createTestUser();
    await grant(db, { type: "project", id: project.id }, "deploy", viewer.id);
    const email = (n: number) => `${tag}-${String(n).padStart(6, "0")}@bulk.example`;

    const first = await membersForPage(viewer, project.id, {});
    assert.equal(first.items.length, 50, `the Members card lists ${first.items.length} rows`);
    assert.equal(first.links.prev, undefined);
    assert.deepEqual([first.items[0].label, first.items[49].label], [email(1), email(50)], "in grant order, named by email");
    assert.equal(first.items[9].relation, "manage");
    const second = await membersForPage(viewer, project.id, paramsOf(first.links.next));
    assert.deepEqual([second.items[0].label, second.items.length], [email(51), 50]);
    assert.deepEqual(
      (await membersForPage(viewer, project.id, paramsOf(second.links.prev))).items.map((m) => m.id),
      first.items.map((m) => m.id),
    );
    const api = await listProjectMembersPage(viewer, {
      projectId: project.id,
      limit: 200,
      after: { createdAt: second.items[49].createdAt.toISOString(), id: second.items[49].id },
    });
    assert.equal(api.items.length, 200);
    assert.equal(api.items[0].label, email(101));

    // A cursor is bound to its Project's list: another Project's page ignores it and starts at the top.
    const other = await createProject(admin, { name: "Other", slug: uniqueSlug("crowd") });
    await grant(db, { type: "project", id: other.id }, "deploy", viewer.id);
    const elsewhere = await membersForPage(viewer, other.id, paramsOf(first.links.next));
    assert.deepEqual(
      elsewhere.items.map((m) => m.subjectId),
      [viewer.id],
    );
    await assert.rejects(
      membersForPage(await createTestUser(), project.id, {}),
      PermissionDeniedError,
      "someone who does not observe the Project sees none of it",
    );
  });

  test("a member of a group that observes 3,000 Clouds and Projects: each list brings back one page, not every id the member may see", async () => {
    const db = await testDatabase();
    const operator = await createTestUser({ platformAdmin: true });
    const member = await createTestUser({ label: "member" });
    const tag = uniqueSlug("everyone");
    await seedGroupObservingAll(db, { tag, count: 3000, createdById: operator.id, memberId: member.id });
    const [first] = await db.$queryRaw<{ id: string }[]>`SELECT id::text FROM clouds WHERE slug = ${`${tag}-00001`}`;
    await seedCredentials(db, first.id, operator.id, 300, FAR_FUTURE);
    // Neither granted to the group nor sorted after its rows: it must not show.
    const hidden = await createCloud(operator, {
      display_name: "Hidden",
      slug: `${tag}-0`,
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });

    const clouds = await countStatements(() => cloudsForPage(member, { q: tag }));
    assert.equal(clouds.result.items.length, 50);
    assert.equal(clouds.result.items[0].slug, `${tag}-00001`, "the group's Clouds, and not the one it was never given");
    assert.ok(!clouds.result.items.some((c) => c.id === hidden.id));
    assert.ok(clouds.rows <= 60, `the Clouds list brought back ${clouds.rows} rows for one page of 50`);

    const projects = await countStatements(() => projectsForPage(member, { q: tag }));
    assert.equal(projects.result.items.length, 50);
    assert.ok(projects.rows <= 60, `the Projects list brought back ${projects.rows} rows for one page of 50`);

    const expiring = await countStatements(() => expiringForPage(member, 30, {}, FAR_FUTURE));
    assert.equal(expiring.result.items.length, 50);
    assert.ok(
      expiring.result.items.every((c) => c.cloudId === first.id),
      "only credentials of Clouds the member sees",
    );
    assert.ok(expiring.rows <= 60, `Expiring soon brought back ${expiring.rows} rows for one page of 50`);
  });

  test("a member of a group that manages 3,000 Projects: the approvals inbox and its count bring back what they show", async () => {
    const db = await testDatabase();
    const operator = await createTestUser({ platformAdmin: true });
    const member = await createTestUser({ label: "approver" });
    const requester = await createTestUser({ label: "requester" });
    const tag = uniqueSlug("managers");
    await seedGroupObservingAll(db, { tag, count: 3000, createdById: operator.id, memberId: member.id, projectRelation: "manage" });
    const cloud = await createCloud(operator, {
      display_name: "Requested",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    await seedCredentials(db, cloud.id, operator.id, 60, FAR_FUTURE);
    // 60 requests spread over the group's Projects, for credentials still active.
    await db.$executeRaw`
      INSERT INTO credential_assignments (id, project_id, cloud_credential_id, state, requested_by_id, created_at, updated_at)
      SELECT gen_random_uuid(), p.id, cc.id, 'requested', ${requester.id}::uuid, now(), now()
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM cloud_credentials WHERE cloud_id = ${cloud.id}::uuid AND revoked_at IS NULL AND
      expired_at IS NULL) cc
      JOIN (SELECT id, row_number() OVER (ORDER BY slug) AS n FROM projects WHERE slug LIKE ${`${tag}-%`}) p ON p.n = cc.n * 40`;
    const [{ requested }] = await db.$queryRaw<{ requested: number }[]>`
      SELECT count(*)::int AS requested FROM credential_assignments a JOIN projects p ON p.id = a.project_id WHERE p.slug LIKE ${`${tag}-%`}`;
    assert.ok(requested > 0);

    const count = await countStatements(() => countPendingForDecision(member, 100, FAR_FUTURE));
    assert.equal(count.result, requested);
    assert.ok(count.rows <= 5, `the pending count brought back ${count.rows} rows`);
    const inbox = await countStatements(() => pendingForDecision(member, { now: FAR_FUTURE }));
    assert.equal(inbox.result.items.length, Math.min(requested, 50));
    assert.ok(inbox.rows <= 60, `the inbox brought back ${inbox.rows} rows for one page`);
    assert.equal(await countPendingForDecision(requester, 100, FAR_FUTURE), 0, "the requester decides nothing");
  });
});
