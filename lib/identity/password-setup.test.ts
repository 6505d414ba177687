import assert from "node:assert/strict";
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeTestDatabase, testDatabase } from "@/testing/database";
import { problemFromError } from "@/lib/api/problem";
import { inHashingLane, verifyPassword } from "@/lib/auth/passwords";
import { PASSWORD_SETUP_LIMIT, createLocalUser, setPasswordWithToken } from "./password-setup";

const PASSWORD = "correct horse battery staple";
const bogus = () => randomBytes(32).toString("base64url");
/** A client network of its own (an IPv6 documentation /64), so one test's guesses never count against another's. */
const network = () => `2001:db8:${randomInt(65_536).toString(16)}:${randomInt(65_536).toString(16)}`;
const newAccount = () => createLocalUser({ email: `setup-${randomUUID()}@test.example` });

describe("setting a password through a link", () => {
  before(testDatabase);
  after(closeTestDatabase);

  // Were a bogus link hashed, its call would wait for the held lane and the test would hang until this timeout.
  test("bogus links are refused without hashing: 20 at once are answered while the hashing lane is held", { timeout: 60_000 }, async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = inHashingLane(() => held);
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => setPasswordWithToken(bogus(), { password: PASSWORD }, { address: `${network()}::1` })),
      );
      for (const outcome of outcomes) {
        assert.equal(outcome.status, "rejected");
        assert.equal((outcome as PromiseRejectedResult).reason.code, "password_link_unusable");
      }
    } finally {
      release();
      await holder;
    }
    // A usable link is hashed (in the lane) and works.
    const { userId, token } = await newAccount();
    await setPasswordWithToken(token, { password: PASSWORD }, { address: `${network()}::1` });
    const db = await testDatabase();
    assert.equal(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash, PASSWORD), true);
  });

  test("guessing links is limited per client /64: past the limit 429 with Retry-After, even for a good link; other networks are unaffected", async () => {
    const guesser = network();
    for (let i = 0; i < PASSWORD_SETUP_LIMIT.points; i++) {
      await assert.rejects(setPasswordWithToken(bogus(), { password: PASSWORD }, { address: `${guesser}::${(i + 1).toString(16)}` }), {
        code: "password_link_unusable",
      });
    }
    const refused = await setPasswordWithToken(bogus(), { password: PASSWORD }, { address: `${guesser}::1` }).then(
      () => assert.fail("a guess over the limit was answered"),
      (error: unknown) => error,
    );
    const response = problemFromError(new Request("http://console.test/set-password", { method: "POST" }), refused);
    assert.equal(response.status, 429);
    const wait = Number(response.headers.get("retry-after"));
    assert.ok(Number.isInteger(wait) && wait > 0 && wait <= PASSWORD_SETUP_LIMIT.duration, `Retry-After: ${wait}`);
    assert.equal((await response.json()).code, "password_setup_throttled");

    const { token } = await newAccount();
    // Another address of the same /64 is the same client network.
    await assert.rejects(setPasswordWithToken(token, { password: PASSWORD }, { address: `${guesser}:aaaa:bbbb:cccc:dddd` }), {
      status: 429,
    });
    await setPasswordWithToken(token, { password: PASSWORD }, { address: `${network()}::1` });
  });

  test("a good link gives its attempt back: a person using their links is never throttled", async () => {
    const address = `${network()}::1`;
    for (let i = 0; i < PASSWORD_SETUP_LIMIT.points + 2; i++) {
      const { token } = await newAccount();
      await setPasswordWithToken(token, { password: PASSWORD }, { address });
    }
  });
});
