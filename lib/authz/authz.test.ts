import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { randomUUID } from "node:crypto";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { PLATFORM_ID } from "./schema";
import { authorize, check, grant, lookupResources } from "./service";

describe("authorize", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a platform admin may manage the platform; others may not", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const viewer = await createTestUser();
    assert.equal(await check(admin, "manage", { platform: PLATFORM_ID }), true);
    assert.equal(await check(viewer, "manage", { platform: PLATFORM_ID }), false);
    await assert.rejects(authorize(viewer, "manage", { platform: PLATFORM_ID }), { code: "permission_denied" });
  });

  test("cloud#manage is the direct relation only: a platform admin observes but does not manage others' Clouds", async () => {
    const db = await testDatabase();
    const admin = await createTestUser({ platformAdmin: true });
    const creator = await createTestUser();
    const cloud = randomUUID();
    await grant(db, { type: "cloud", id: cloud }, "manage", creator.id);
    assert.equal(await check(creator, "manage", { cloud }), true);
    assert.equal(await check(creator, "observe", { cloud }), true);
    assert.equal(await check(admin, "manage", { cloud }), false);
    assert.equal(await check(admin, "observe", { cloud }), true);
  });

  test("an explicit observer observes but may not manage; a stranger does neither", async () => {
    const db = await testDatabase();
    const observer = await createTestUser();
    const stranger = await createTestUser();
    const cloud = randomUUID();
    await grant(db, { type: "cloud", id: cloud }, "observer", observer.id);
    assert.equal(await check(observer, "observe", { cloud }), true);
    assert.equal(await check(observer, "manage", { cloud }), false);
    assert.equal(await check(stranger, "observe", { cloud }), false);
  });

  test("granting twice stores one tuple", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const cloud = randomUUID();
    await grant(db, { type: "cloud", id: cloud }, "manage", user.id);
    await grant(db, { type: "cloud", id: cloud }, "manage", user.id);
    assert.equal(await db.relationTuple.count({ where: { objectId: cloud } }), 1);
  });

  test("lookupResources lists exactly the Clouds a user observes, or all of them for a platform admin", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const admin = await createTestUser({ platformAdmin: true });
    const [a, b] = [randomUUID(), randomUUID()];
    await grant(db, { type: "cloud", id: a }, "manage", user.id);
    await grant(db, { type: "cloud", id: b }, "observer", user.id);
    const mine = await lookupResources(user, "observe", "cloud");
    assert.deepEqual(mine.all ? "all" : [...mine.ids].sort(), [a, b].sort());
    assert.deepEqual(await lookupResources(admin, "observe", "cloud"), { all: true });
    const managed = await lookupResources(user, "manage", "cloud");
    assert.deepEqual(managed, { all: false, ids: [a] });
  });
});
