import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { dumpDatabase } from "@/testing/canary";
import { closeTestDatabase, createTestUser, testDatabase, testDatabaseUrl } from "@/testing/database";
import { authenticateToken, listTokensPage } from "@/lib/tokens/service";
import { problemFromError } from "@/lib/api/problem";
import {
  DEVICE_CODE_LIMIT,
  DEVICE_CODE_TTL_SECONDS,
  DEVICE_LOOKUP_LIMIT,
  DEVICE_TOKEN_TTL_SECONDS,
  approveDevice,
  denyDevice,
  describeDeviceRequest,
  pollDeviceToken,
  startDeviceAuthorization,
} from "./device";

const at = (iso: string) => new Date(iso);
/** A client network of its own (a /64 of the IPv6 documentation range), so one test's asking never counts against another's limit. */
const fromAddress = () => ({ address: `2001:db8:${randomInt(65_536).toString(16)}:${randomInt(65_536).toString(16)}::1` });
const plus = (t: Date, seconds: number) => new Date(t.getTime() + seconds * 1000);

/** The RFC 8628 code a poll was refused with. */
async function pollCode(deviceCode: string, now: Date): Promise<string> {
  try {
    await pollDeviceToken(deviceCode, now);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return "token";
}

describe("device authorization (RFC 8628)", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("pending until approved, then one token acting as the approver; codes are stored as digests only", async () => {
    const person = await createTestUser();
    const t0 = at("2026-03-01T00:00:00Z");
    const started = await startDeviceAuthorization({ clientId: "plexctl", userAgent: "plexctl/0.1 (linux)", ...fromAddress() }, t0);
    assert.match(started.userCode, /^[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    assert.equal(started.interval, 5);
    assert.equal(await pollCode(started.deviceCode, plus(t0, 5)), "authorization_pending");

    assert.equal((await describeDeviceRequest(person, started.userCode.toLowerCase(), t0))?.clientLabel, "plexctl · plexctl/0.1 (linux)");
    await approveDevice(person, started.userCode.replace("-", ""), plus(t0, 6));
    const token = await pollDeviceToken(started.deviceCode, plus(t0, 10));
    assert.equal(token.expiresIn, DEVICE_TOKEN_TTL_SECONDS);
    assert.equal((await authenticateToken(token.accessToken, plus(t0, 11)))?.user.id, person.id);
    // Listed under a name that says which client it went to, minted by the approver; the approval is on the trail.
    const [listed] = (await listTokensPage(person, { limit: 200 }, plus(t0, 12))).items;
    assert.equal(listed.name, "plexctl · plexctl/0.1 (linux) · device login");
    assert.equal(listed.createdBy?.id, person.id);
    const db = await testDatabase();
    assert.equal(await db.auditEntry.count({ where: { actorId: person.id, action: "device.approve", outcome: "succeeded" } }), 1);

    // The device code is spent: a second poll gets nothing.
    assert.equal(await pollCode(started.deviceCode, plus(t0, 20)), "invalid_grant");
    const dump = await dumpDatabase(await testDatabaseUrl());
    for (const secret of [started.deviceCode, started.userCode.replace("-", ""), token.accessToken.slice(8)])
      assert.equal(dump.includes(secret), false);
  });

  test("polling faster than the interval is slow_down, and the interval grows by five seconds", async () => {
    const t0 = at("2026-03-02T00:00:00Z");
    const started = await startDeviceAuthorization(fromAddress(), t0);
    assert.equal(await pollCode(started.deviceCode, plus(t0, 5)), "authorization_pending");
    assert.equal(await pollCode(started.deviceCode, plus(t0, 7)), "slow_down");
    // Now ten seconds apart are needed: nine is still too fast, ten is fine.
    assert.equal(await pollCode(started.deviceCode, plus(t0, 16)), "slow_down");
    assert.equal(await pollCode(started.deviceCode, plus(t0, 31)), "authorization_pending");
  });

  test("a denied login answers access_denied and cannot be approved afterwards", async () => {
    const person = await createTestUser();
    const t0 = at("2026-03-03T00:00:00Z");
    const started = await startDeviceAuthorization(fromAddress(), t0);
    await denyDevice(person, started.userCode, plus(t0, 1));
    assert.equal(await pollCode(started.deviceCode, plus(t0, 5)), "access_denied");
    await assert.rejects(approveDevice(person, started.userCode, plus(t0, 6)), { code: "device_code_denied", status: 409 });
    assert.equal((await describeDeviceRequest(person, started.userCode, t0))?.state, "denied");
  });

  test("an expired login cannot be approved and polls as expired_token", async () => {
    const person = await createTestUser();
    const t0 = at("2026-03-04T00:00:00Z");
    const started = await startDeviceAuthorization(fromAddress(), t0);
    const late = plus(t0, DEVICE_CODE_TTL_SECONDS);
    await assert.rejects(approveDevice(person, started.userCode, late), { code: "device_code_expired", status: 409 });
    assert.equal(await pollCode(started.deviceCode, late), "expired_token");
  });

  test("approving twice is 409 already-approved, also after the token was minted; unknown codes are 404", async () => {
    const [first, second] = [await createTestUser(), await createTestUser()];
    const t0 = at("2026-03-05T00:00:00Z");
    const started = await startDeviceAuthorization(fromAddress(), t0);
    await approveDevice(first, started.userCode, plus(t0, 1));
    await assert.rejects(approveDevice(second, started.userCode, plus(t0, 2)), { code: "device_code_already_approved", status: 409 });
    const token = await pollDeviceToken(started.deviceCode, plus(t0, 5));
    // The first approver keeps the login: the second approval changed nothing.
    assert.equal((await authenticateToken(token.accessToken, plus(t0, 6)))?.user.id, first.id);
    await assert.rejects(approveDevice(second, started.userCode, plus(t0, 7)), { code: "device_code_already_approved" });
    await assert.rejects(approveDevice(first, "AAAA-AAAA", t0), { code: "device_code_not_found", status: 404 });
    await assert.rejects(approveDevice(first, "not a code", t0), { code: "device_code_not_found" });
    assert.equal(await pollCode("no-such-device-code", t0), "invalid_grant");
  });

  test("two approvals racing: exactly one wins", async () => {
    const [a, b] = [await createTestUser(), await createTestUser()];
    const t0 = at("2026-03-06T00:00:00Z");
    const started = await startDeviceAuthorization(fromAddress(), t0);
    const results = await Promise.allSettled([approveDevice(a, started.userCode, t0), approveDevice(b, started.userCode, t0)]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
  });

  test("asking for codes is limited per client address: 429 problem with Retry-After past the limit, other addresses unaffected", async () => {
    const client = { ...fromAddress(), clientId: `throttle-test-${randomInt(1e9)}` };
    for (let i = 0; i < DEVICE_CODE_LIMIT.points; i++) await startDeviceAuthorization(client);
    const refused = await startDeviceAuthorization(client).then(
      () => assert.fail("the request over the limit was served"),
      (error: unknown) => error,
    );
    assert.deepEqual([(refused as { status: number }).status, (refused as { code: string }).code], [429, "device_code_throttled"]);
    const response = problemFromError(new Request("http://console.test/v1/auth/device-code", { method: "POST" }), refused);
    assert.equal(response.status, 429);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    const wait = Number(response.headers.get("retry-after"));
    assert.ok(Number.isInteger(wait) && wait > 0 && wait <= DEVICE_CODE_LIMIT.duration, `Retry-After: ${wait}`);
    const body = await response.json();
    assert.deepEqual([body.code, body.retry_after_seconds], ["device_code_throttled", wait]);
    await assert.rejects(startDeviceAuthorization(client), { status: 429 });
    const stored = await (await testDatabase()).deviceCode.count({ where: { clientLabel: client.clientId } });
    assert.equal(stored, DEVICE_CODE_LIMIT.points, "a refused request stores nothing");
    assert.ok((await startDeviceAuthorization(fromAddress())).userCode, "another address still gets codes");
    // Another address of the same IPv6 /64 is the same client network: still refused.
    await assert.rejects(startDeviceAuthorization({ address: client.address.replace(/::1$/, "::beef:2") }), { status: 429 });
  });

  test(
    "guessing user codes is limited per person: wrong codes past the limit are 429 with Retry-After, on " +
      "the page and at approve; other people approve on",
    async () => {
      const [guesser, bystander] = [await createTestUser(), await createTestUser()];
      const t0 = new Date();
      const theirs = await startDeviceAuthorization(fromAddress(), t0);
      const wrong = () => Array.from({ length: 8 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[randomInt(32)]).join("");
      // A code that exists costs nothing, however often it is looked at.
      for (let i = 0; i < DEVICE_LOOKUP_LIMIT.points + 2; i++)
        assert.equal((await describeDeviceRequest(guesser, theirs.userCode, t0))?.state, "pending");
      for (let i = 0; i < DEVICE_LOOKUP_LIMIT.points; i++) {
        await (i % 2
          ? describeDeviceRequest(guesser, wrong(), t0).then((found) => assert.equal(found, undefined))
          : assert.rejects(approveDevice(guesser, wrong(), t0), { code: "device_code_not_found" }));
      }
      const refused = await approveDevice(guesser, wrong(), t0).then(
        () => assert.fail("a guess over the limit was answered"),
        (error: unknown) => error,
      );
      const response = problemFromError(new Request("http://console.test/v1/auth/device/approve", { method: "POST" }), refused);
      assert.equal(response.status, 429);
      assert.equal((await response.json()).code, "device_lookup_throttled");
      assert.ok(Number(response.headers.get("retry-after")) > 0);
      await assert.rejects(describeDeviceRequest(guesser, wrong(), t0), { status: 429 });
      // Even the right code is refused to the guesser until the window ends; somebody else approves it.
      await assert.rejects(approveDevice(guesser, theirs.userCode, t0), { status: 429 });
      await approveDevice(bystander, theirs.userCode, t0);
    },
  );
});
