import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { parseEnv } from "@/lib/env";
import { hashPassword } from "./passwords";
import {
  LAST_SEEN_RESOLUTION_MS,
  USER_AGENT_MAX,
  endOwnSession,
  endSession,
  listSessions,
  sessionUser,
  signOutEverywhere,
  startSession,
} from "./sessions";
import { attemptSignIn } from "./sign-in";

const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + ms);

describe("console sessions", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a session keeps the device and address it began from, with control characters stripped and the device cut short", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const hostile = `Mozilla/5.0 (X11; Linux x86_64)\u001b[31m\r\nforged line\u202e${"x".repeat(1000)}`;
    const id = await startSession(user.id, { userAgent: hostile, address: "198.51.100.7" });
    const row = await db.session.findUniqueOrThrow({ where: { id } });
    assert.equal(row.clientAddress, "198.51.100.7");
    assert.ok(row.userAgent!.startsWith("Mozilla/5.0 (X11; Linux x86_64) forged line"));
    assert.doesNotMatch(row.userAgent!, /[\u0000-\u001f\u202e]/);
    assert.ok(Array.from(row.userAgent!).length <= USER_AGENT_MAX);
    const unknown = await db.session.findUniqueOrThrow({ where: { id: await startSession(user.id, { address: "unknown" }) } });
    assert.deepEqual([unknown.userAgent, unknown.clientAddress], [null, null]);
  });

  test("last seen moves at most once a minute, however many requests there are", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const id = await startSession(user.id, {}, at(0));
    const lastSeen = async () => (await db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt?.getTime();
    for (let i = 1; i <= 5; i++) assert.equal((await sessionUser(user.id, id, at(i * 1000)))?.id, user.id);
    assert.equal(await lastSeen(), at(0).getTime());
    await sessionUser(user.id, id, at(LAST_SEEN_RESOLUTION_MS + 5));
    assert.equal(await lastSeen(), at(LAST_SEEN_RESOLUTION_MS + 5).getTime());
  });

  test("a session ends at its absolute maximum age however busy it is, with the configured age", async () => {
    const user = await createTestUser();
    const hour = 3_600_000;
    const shortened = parseEnv({ SESSION_ABSOLUTE_MAX_AGE_HOURS: "2" }).sessionAbsoluteMaxAgeMs;
    assert.equal(shortened, 2 * hour);
    const id = await startSession(user.id, {}, at(0));
    // In use every 30 minutes: the last-seen time keeps moving, the session still ends two hours after sign-in.
    for (let t = 30 * 60_000; t < 2 * hour; t += 30 * 60_000)
      assert.equal((await sessionUser(user.id, id, at(t), shortened))?.id, user.id, `at ${t / 60_000} min`);
    assert.equal(await sessionUser(user.id, id, at(2 * hour), shortened), undefined);
    assert.equal(await sessionUser(user.id, id, at(2 * hour + 60_000), shortened), undefined);
    // The default is 12 hours.
    assert.equal(parseEnv({}).sessionAbsoluteMaxAgeMs, 12 * hour);
    const busy = await startSession(user.id);
    assert.equal((await sessionUser(user.id, busy, new Date(Date.now() + 11 * hour)))?.id, user.id);
    assert.equal(await sessionUser(user.id, busy, new Date(Date.now() + 12 * hour + 1000)), undefined);
  });

  test("the list shows only the caller's live sessions and marks the asking one; another's session cannot be ended", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const stranger = await createTestUser();
    const here = await startSession(user.id, { userAgent: "here" });
    const there = await startSession(user.id, { userAgent: "there" });
    const theirs = await startSession(stranger.id);
    const listed = await listSessions(user, here);
    assert.deepEqual(new Set(listed.map((s) => s.id)), new Set([here, there]));
    assert.deepEqual(
      listed.filter((s) => s.current).map((s) => s.id),
      [here],
    );

    await assert.rejects(endOwnSession(user, theirs), { code: "session_not_found" });
    await assert.rejects(endOwnSession(user, "not-a-uuid"), { code: "session_not_found" });
    assert.equal((await sessionUser(stranger.id, theirs))?.id, stranger.id);

    await endOwnSession(user, there);
    assert.equal(await sessionUser(user.id, there), undefined);
    assert.equal((await sessionUser(user.id, here))?.id, user.id);
    await assert.rejects(endOwnSession(user, there), { code: "session_not_found" });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { action: "auth.session_end", targetId: there } });
    assert.equal(entry.actorId, user.id);
  });

  test("sign out everywhere ends every session of the caller, and no one else's, and says how many", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const bystander = await createTestUser();
    const sessions = [await startSession(user.id), await startSession(user.id), await startSession(user.id)];
    const kept = await startSession(bystander.id);
    assert.equal(await signOutEverywhere(user), 3);
    for (const id of sessions) assert.equal(await sessionUser(user.id, id), undefined);
    assert.equal((await sessionUser(bystander.id, kept))?.id, bystander.id);
    assert.equal(await signOutEverywhere(user), 0);
    const entries = await db.auditEntry.findMany({ where: { action: "auth.sign_out_global", actorId: user.id }, orderBy: { at: "asc" } });
    assert.deepEqual(
      entries.map((e) => e.reason),
      ["user-initiated; sessions_revoked=3", "user-initiated; sessions_revoked=0"],
    );
  });

  test("a sign-out is recorded once, against the session it ended", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const id = await startSession(user.id);
    await endSession(id);
    await endSession(id);
    assert.equal(await db.auditEntry.count({ where: { action: "auth.sign_out", targetId: id, actorId: user.id } }), 1);
  });

  test("sign-in success and failure are both recorded, with the address", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword("right password") } });
    assert.equal((await attemptSignIn({ email: user.email, password: "wrong" }, "198.51.100.201")).outcome, "refused");
    assert.equal((await attemptSignIn({ email: user.email, password: "right password" }, "198.51.100.201")).outcome, "signed_in");
    const entries = await db.auditEntry.findMany({ where: { action: "auth.sign_in", targetId: user.id }, orderBy: { at: "asc" } });
    assert.deepEqual(
      entries.map((e) => [e.outcome, e.actorId, e.reason]),
      [
        ["denied", null, "password; from 198.51.100.201"],
        ["succeeded", user.id, "password; from 198.51.100.201"],
      ],
    );
  });
});
