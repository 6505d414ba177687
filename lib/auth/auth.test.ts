import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { clientAddress, throttleBucket } from "./client-address";
import { hashPassword } from "./passwords";
import { changePassword, endSession, endSessions, sessionUser, startSession } from "./sessions";
import { SIGN_IN_LIMITS, attemptSignIn } from "./sign-in";

const PASSWORD = "correct horse battery staple";
let hash: string;

async function userWithPassword() {
  const user = await createTestUser({ label: "signin" });
  await (await testDatabase()).user.update({ where: { id: user.id }, data: { passwordHash: hash } });
  return user;
}

// Documentation addresses (RFC 5737): these are counter keys only, nothing is sent anywhere.
let next = 0;
const freshAddress = () => `198.51.100.${++next}`;

describe("sign-in throttling", () => {
  before(async () => {
    await testDatabase();
    hash = await hashPassword(PASSWORD);
  });
  after(closeTestDatabase);

  test("20 wrong passwords: refused up to the account's limit, then throttled, even with the right password; other accounts unaffected", async () => {
    const victim = await userWithPassword();
    const bystander = await userWithPassword();
    const address = freshAddress();
    const outcomes = [];
    for (let i = 0; i < 20; i++)
      outcomes.push(await attemptSignIn({ email: victim.email, password: `guess ${i}` }, i % 2 ? address : freshAddress()));
    const limit = SIGN_IN_LIMITS.account.points;
    assert.deepEqual(
      outcomes.slice(0, limit).map((o) => o.outcome),
      Array(limit).fill("refused"),
    );
    for (const o of outcomes.slice(limit)) {
      assert.equal(o.outcome, "throttled");
      assert.ok(o.outcome === "throttled" && o.retryAfterSeconds > 0 && o.retryAfterSeconds <= SIGN_IN_LIMITS.account.blockDuration);
    }
    assert.equal((await attemptSignIn({ email: victim.email, password: PASSWORD }, freshAddress())).outcome, "throttled");
    assert.equal((await attemptSignIn({ email: bystander.email, password: PASSWORD }, address)).outcome, "signed_in");

    // The lockout is audited once, not once per guess, naming the account and not the guesses.
    const entries = await (await testDatabase()).auditEntry.findMany({ where: { action: "auth.sign_in_locked", targetId: victim.id } });
    assert.equal(entries.length, 1);
    assert.equal(entries[0].outcome, "denied");
  });

  test("an unknown email is throttled exactly like a real one, so the answer says nothing about existence", async () => {
    const email = `nobody-${randomUUID()}@test.example`;
    const outcomes = [];
    for (let i = 0; i <= SIGN_IN_LIMITS.account.points; i++)
      outcomes.push((await attemptSignIn({ email, password: "x" }, freshAddress())).outcome);
    assert.equal(outcomes.at(-2), "refused");
    assert.equal(outcomes.at(-1), "throttled");
  });

  test("one address guessing across many accounts is throttled for every account, right password included; other addresses are not", async () => {
    const address = freshAddress();
    for (let i = 0; i < SIGN_IN_LIMITS.address.points; i++) {
      const verdict = await attemptSignIn({ email: `spray-${i}-${randomUUID()}@test.example`, password: "password" }, address);
      assert.equal(verdict.outcome, "refused", `attempt ${i + 1}`);
    }
    const user = await userWithPassword();
    assert.equal((await attemptSignIn({ email: user.email, password: PASSWORD }, address)).outcome, "throttled");
    assert.equal((await attemptSignIn({ email: user.email, password: PASSWORD }, freshAddress())).outcome, "signed_in");
    const entries = await (await testDatabase()).auditEntry.findMany({ where: { action: "auth.sign_in_locked", targetId: address } });
    assert.equal(entries.length, 1);
  });

  test("guesses the address limit already refused are not charged to the account: the victim still signs in from elsewhere", async () => {
    const victim = await userWithPassword();
    const attacker = freshAddress();
    for (let i = 0; i < SIGN_IN_LIMITS.address.points; i++)
      await attemptSignIn({ email: `spray-${i}-${randomUUID()}@test.example`, password: "password" }, attacker);
    // Twice the account's limit in guesses at the victim, every one refused by the address limit before any hashing.
    for (let i = 0; i < 2 * SIGN_IN_LIMITS.account.points; i++) {
      assert.equal((await attemptSignIn({ email: victim.email, password: `guess ${i}` }, attacker)).outcome, "throttled");
    }
    assert.equal((await attemptSignIn({ email: victim.email, password: PASSWORD }, freshAddress())).outcome, "signed_in");
  });

  test("an IPv6 client is counted by its /64: another address in it shares the limit, another /64 does not", async () => {
    const prefix = `2001:db8:${(++next).toString(16)}:${(++next).toString(16)}`;
    for (let i = 0; i < SIGN_IN_LIMITS.address.points; i++) {
      assert.equal(
        (await attemptSignIn({ email: `v6-${i}-${randomUUID()}@test.example`, password: "password" }, `${prefix}::${(i + 1).toString(16)}`))
          .outcome,
        "refused",
      );
    }
    const user = await userWithPassword();
    for (const sameNetwork of [`${prefix}::ffff`, `${prefix}:0:0:0:1`, `${prefix.toUpperCase()}:abcd:ef01:2345:6789`]) {
      assert.equal((await attemptSignIn({ email: user.email, password: PASSWORD }, sameNetwork)).outcome, "throttled", sameNetwork);
    }
    const otherNetwork = `2001:db8:${(++next).toString(16)}:${(++next).toString(16)}::1`;
    assert.equal((await attemptSignIn({ email: user.email, password: PASSWORD }, otherNetwork)).outcome, "signed_in");
  });

  test("a link-local client's zone id is not part of its address: it signs in rather than meeting a 500", async () => {
    for (const forwarded of ["fe80::1%eth0", "fe80::1%25eth0", "::ffff:192.0.2.1%lo"]) {
      const address = clientAddress(new Headers({ "x-forwarded-for": forwarded }));
      assert.notEqual(address, "unknown", forwarded);
      assert.doesNotThrow(() => throttleBucket(address), forwarded);
    }
    const user = await userWithPassword();
    assert.equal(
      (await attemptSignIn({ email: user.email, password: PASSWORD }, clientAddress(new Headers({ "x-forwarded-for": "fe80::2%eth0" }))))
        .outcome,
      "signed_in",
    );
  });

  test("a successful sign-in clears the account's failures", async () => {
    const user = await userWithPassword();
    const limit = SIGN_IN_LIMITS.account.points;
    for (let i = 0; i < limit - 1; i++) await attemptSignIn({ email: user.email, password: "wrong" }, freshAddress());
    assert.equal((await attemptSignIn({ email: user.email, password: PASSWORD }, freshAddress())).outcome, "signed_in");
    for (let i = 0; i < limit - 1; i++)
      assert.equal((await attemptSignIn({ email: user.email, password: "wrong" }, freshAddress())).outcome, "refused");
  });

  test("the counters never store the email that was typed", async () => {
    const email = `secret-looking-${randomUUID()}@test.example`;
    await attemptSignIn({ email, password: "x" }, freshAddress());
    const keys = (await (await testDatabase()).rateLimit.findMany()).map((r) => r.key);
    assert.ok(keys.length > 0);
    assert.ok(!keys.some((k) => k.includes(email)));
  });
});

describe("server-side sessions", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a session counts until it is ended; ending one leaves the user's others", async () => {
    const user = await createTestUser();
    const first = await startSession(user.id);
    const second = await startSession(user.id);
    assert.equal((await sessionUser(user.id, first))?.id, user.id);
    await endSession(first);
    assert.equal(await sessionUser(user.id, first), undefined);
    assert.equal((await sessionUser(user.id, second))?.id, user.id);
    // A session id is only good for the user it was issued to.
    const other = await createTestUser();
    assert.equal(await sessionUser(other.id, second), undefined);
    await endSessions(user.id);
    assert.equal(await sessionUser(user.id, second), undefined);
  });

  test("changing the password ends every other session of the account, not the one that changed it", async () => {
    const user = await userWithPassword();
    const here = await startSession(user.id);
    const elsewhere = await startSession(user.id);
    await assert.rejects(changePassword(user, { current: "wrong", next: "a new password" }, here), { code: "current_password_wrong" });
    assert.equal((await sessionUser(user.id, elsewhere))?.id, user.id);
    await changePassword(user, { current: PASSWORD, next: "a new password" }, here);
    assert.equal(await sessionUser(user.id, elsewhere), undefined);
    assert.equal((await sessionUser(user.id, here))?.id, user.id);
    assert.equal((await attemptSignIn({ email: user.email, password: "a new password" }, freshAddress())).outcome, "signed_in");
  });
});
