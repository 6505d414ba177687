import assert from "node:assert/strict";
import { authorizePlatform } from "@/lib/authz/service";
import { after, before, describe, test } from "node:test";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { sessionUser, startSession } from "@/lib/auth/sessions";
import { authenticateToken, issueToken } from "@/lib/tokens/service";
import { getUser, listUsers, removeUser, setUserStatus } from "./users";

describe("users", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a disabled user's token and session are refused at the next request; re-enabling restores the token, not the ended session", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const user = await createTestUser();
    const token = await issueToken(user, { envPrefix: "dev", ttlSeconds: 3600 });
    const sessionId = await startSession(user.id);
    assert.equal((await authenticateToken(token.plaintext))?.user.id, user.id);
    assert.equal((await sessionUser(user.id, sessionId))?.id, user.id);

    await setUserStatus(admin, user.id, "disabled");
    assert.equal(await authenticateToken(token.plaintext), undefined, "the token stops at the next request");
    assert.equal(await sessionUser(user.id, sessionId), undefined, "the session stops at the next request");
    assert.notEqual((await db.session.findUnique({ where: { id: sessionId } }))?.revokedAt, null, "disabling revokes the session row");
    assert.equal((await getUser(admin, user.id)).status, "disabled");
    assert.equal(await db.auditEntry.count({ where: { action: "user.disable", targetId: user.id } }), 1);

    await setUserStatus(admin, user.id, "active");
    assert.equal((await authenticateToken(token.plaintext))?.user.id, user.id);
    assert.equal(await sessionUser(user.id, sessionId), undefined);
  });

  test("only platform admins list or change users, and nobody disables or removes themselves", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const user = await createTestUser();
    await assert.rejects(
      authorizePlatform(user).then((manager) => listUsers(manager)),
      { code: "permission_denied" },
    );
    await assert.rejects(
      authorizePlatform(user).then((manager) => setUserStatus(manager, admin.id, "disabled")),
      { code: "permission_denied" },
    );
    await assert.rejects(setUserStatus(admin, admin.id, "disabled"), { code: "cannot_change_self" });
    await assert.rejects(removeUser(admin, admin.id), { code: "cannot_change_self" });
    assert.ok((await listUsers(admin)).items.some((u) => u.id === user.id));
  });

  test("removing a user takes their grants with them", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const user = await createTestUser({ platformAdmin: true });
    await removeUser(admin, user.id);
    assert.equal(await db.user.count({ where: { id: user.id } }), 0);
    assert.equal(await db.relationTuple.count({ where: { subjectId: user.id } }), 0);
    await assert.rejects(getUser(admin, user.id), { code: "identity_not_found" });
  });
});
