import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud } from "@/lib/clouds/service";
import { cloudCredentialsForPage, expiringForPage } from "@/lib/credentials/pages";
import { listCloudCredentialsPage } from "@/lib/credentials/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { FAR_FUTURE, seedCredentials } from "@/testing/seed-bulk";

/** The query string of a pager link, as the page receives it. */
const paramsOf = (href: string | undefined) => {
  assert.ok(href, "a pager link is there");
  return Object.fromEntries(new URL(href, "http://console.test").searchParams);
};

async function bigCloud(count: number) {
  const db = await testDatabase();
  const operator = await createTestUser({ platformAdmin: true });
  const cloud = await createCloud(operator, { display_name: "Big", slug: uniqueSlug(), provider: "aws", external_id: randomUUID(), endpoint: {}, region_defaults: {} });
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
    assert.deepEqual(back.items.map((c) => c.id), first.items.map((c) => c.id), "previous returns the same first page");
    assert.equal(back.links.prev, undefined);

    // The /v1 list reads through the same function: oldest first, 200 at most.
    const api = await listCloudCredentialsPage(operator, cloud.id, { limit: 200 });
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
    assert.deepEqual(found.items.map((c) => c.displayName).sort(), Array.from({ length: 10 }, (_, i) => `bulk-00012${i}`));
    assert.deepEqual(found.links, {});
    assert.deepEqual((await cloudCredentialsForPage(operator, cloud.id, { q: "%" })).items, [], "% in a search is a literal, not a wildcard");
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
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.ok(page.links.next && !page.links.prev);
    const next = await expiringForPage(operator, 30, paramsOf(page.links.next), FAR_FUTURE);
    assert.equal(next.items.length, 50);
    assert.ok(next.items[0].expiresAt.getTime() >= times[times.length - 1]);
  });
});
