import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { check } from "@/lib/authz/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { createCloud } from "./service";
import { listCloudGrants, shareCloud, unshareCloud } from "./sharing";

describe("sharing a Cloud", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a manager grants observe and manage, takes them back, and cannot remove the last manager", async () => {
    const operator = await createTestUser({ platformAdmin: true });
    const colleague = await createTestUser();
    const cloud = await createCloud(operator, {
      display_name: "S",
      slug: uniqueSlug(),
      provider: "gcp",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });

    await shareCloud(operator, cloud.id, colleague.email, "observer");
    assert.equal(await check(colleague, "observe", { cloud: cloud.id }), true);
    assert.equal(await check(colleague, "manage", { cloud: cloud.id }), false);
    await assert.rejects(
      shareCloud(colleague, cloud.id, colleague.email, "manage"),
      { code: "permission_denied" },
      "an observer cannot promote themselves",
    );

    await shareCloud(operator, cloud.id, colleague.email, "manage");
    assert.equal(await check(colleague, "manage", { cloud: cloud.id }), true);
    await unshareCloud(colleague, cloud.id, operator.id, "manage");
    await assert.rejects(unshareCloud(colleague, cloud.id, colleague.id, "manage"), { code: "last_manager", status: 409 });
    await unshareCloud(colleague, cloud.id, colleague.id, "observer");
    assert.deepEqual(
      (await listCloudGrants(colleague, cloud.id)).map((g) => [g.email, g.relation]),
      [[colleague.email, "manage"]],
    );
    await assert.rejects(shareCloud(colleague, cloud.id, "nobody@example.invalid", "observer"), { code: "unknown_user" });
  });

  test("two managers removing each other at once leave one manager, not none", async () => {
    const db = await testDatabase();
    const a = await createTestUser({ platformAdmin: true });
    const b = await createTestUser();
    // Many pairs at once, so an unlocked check-then-delete would lose at least one race.
    const clouds = [];
    for (let i = 0; i < 12; i++) {
      const cloud = await createCloud(a, {
        display_name: "R",
        slug: uniqueSlug(),
        provider: "aws",
        external_id: randomUUID(),
        endpoint: {},
        region_defaults: {},
      });
      await shareCloud(a, cloud.id, b.email, "manage");
      clouds.push(cloud.id);
    }
    await Promise.allSettled(clouds.flatMap((id) => [unshareCloud(a, id, b.id, "manage"), unshareCloud(b, id, a.id, "manage")]));
    for (const id of clouds) {
      assert.equal(await db.relationTuple.count({ where: { objectType: "cloud", objectId: id, relation: "manage" } }), 1, `cloud ${id}`);
    }
  });
});
