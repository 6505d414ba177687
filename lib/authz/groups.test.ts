import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { randomUUID } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import type { Db } from "@/lib/db/client";
import { accessHolders, lookupResourceRefs, lookupSubjectRefs } from "./lookup";
import { check, grant } from "./service";

async function createGroup(db: Db, name = "Team") {
  return db.group.create({ data: { id: uuidv7(), slug: `g-${randomUUID().slice(0, 8)}`, displayName: name, source: "manual" } });
}

/** A client that counts the statements sent through it (model calls and raw queries). */
function countingClient(db: Db): { client: Db; count: () => number } {
  let n = 0;
  const client = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "$queryRaw" || prop === "$queryRawUnsafe") {
        return (...args: unknown[]) => {
          n += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (typeof prop === "string" && !prop.startsWith("$") && value && typeof value === "object") {
        return new Proxy(value, {
          get(model, method, r) {
            const fn = Reflect.get(model, method, r);
            if (typeof fn !== "function") return fn;
            return (...args: unknown[]) => {
              n += 1;
              return fn.apply(model, args);
            };
          },
        });
      }
      return value;
    },
  });
  return { client, count: () => n };
}

describe("groups as subjects", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a member holds what the group holds, in one statement, and loses it at the next check after leaving", async () => {
    const db = await testDatabase();
    const member = await createTestUser({ label: "member" });
    const outsider = await createTestUser({ label: "outsider" });
    const group = await createGroup(db);
    const cloud = randomUUID();
    await grant(db, { type: "cloud", id: cloud }, "observer", { type: "group", id: group.id });

    assert.equal(await check(member, "observe", { cloud }), false, "not a member yet");
    await db.groupMember.create({ data: { groupId: group.id, userId: member.id, source: "manual" } });

    const counted = countingClient(db);
    assert.equal(await check(member, "observe", { cloud }, counted.client), true);
    assert.equal(counted.count(), 1, "check is one statement");
    assert.equal(await check(member, "manage", { cloud }), false, "observer through the group does not manage");
    assert.equal(await check(outsider, "observe", { cloud }), false);

    await db.groupMember.delete({ where: { groupId_userId: { groupId: group.id, userId: member.id } } });
    assert.equal(await check(member, "observe", { cloud }), false, "removal holds at the very next check");
  });

  test("a group's platform#manage makes its members platform admins (and observers of every Cloud)", async () => {
    const db = await testDatabase();
    const member = await createTestUser();
    const group = await createGroup(db, "Admins");
    await grant(db, { type: "platform", id: "plexsphere" }, "manage", { type: "group", id: group.id });
    await db.groupMember.create({ data: { groupId: group.id, userId: member.id, source: "manual" } });
    assert.equal(await check(member, "manage", { platform: "plexsphere" }), true);
    assert.equal(await check(member, "observe", { cloud: randomUUID() }), true);
  });

  test("lookups expand groups both ways and say through which group", async () => {
    const db = await testDatabase();
    const owner = await createTestUser({ label: "owner" });
    const member = await createTestUser({ label: "member" });
    const stranger = await createTestUser({ label: "stranger" });
    const group = await createGroup(db, "Ops");
    await db.groupMember.create({ data: { groupId: group.id, userId: member.id, source: "manual" } });
    const cloud = await db.cloud.create({
      data: {
        id: uuidv7(),
        slug: `c-${randomUUID().slice(0, 8)}`,
        displayName: "Lookup cloud",
        provider: "aws",
        externalId: randomUUID(),
        createdById: owner.id,
      },
    });
    await grant(db, { type: "cloud", id: cloud.id }, "manage", owner.id);
    await grant(db, { type: "cloud", id: cloud.id }, "manage", { type: "group", id: group.id });

    assert.deepEqual(await lookupResourceRefs({ type: "user", id: member.id }, "manage", "cloud"), [`cloud:${cloud.id}`]);
    assert.deepEqual(await lookupResourceRefs({ type: "group", id: group.id }, "manage", "cloud"), [`cloud:${cloud.id}`]);
    assert.deepEqual(await lookupResourceRefs({ type: "user", id: stranger.id }, "manage", "cloud"), []);

    const managers = await lookupSubjectRefs({ type: "cloud", id: cloud.id }, "manage", "user");
    assert.deepEqual([...managers].sort(), [`user:${owner.id}`, `user:${member.id}`].sort());
    assert.deepEqual(await lookupSubjectRefs({ type: "cloud", id: cloud.id }, "manage", "group"), [`group:${group.id}`]);

    const holders = await accessHolders({ type: "cloud", id: cloud.id }, "observe");
    const memberPaths = holders.find((h) => h.userId === member.id)?.paths ?? [];
    assert.deepEqual(memberPaths, [{ relation: "manage", via: { type: "group", id: group.id, name: "Ops" } }]);
  });
});
