import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { approveDevice, pollDeviceToken, startDeviceAuthorization } from "@/lib/auth/device";
import { problemFromError } from "@/lib/api/problem";
import { TOKEN_ISSUE_LIMIT, authenticateToken, issueToken, listTokensPage, revokeToken, rotateToken } from "./service";

const plus = (t: Date, seconds: number) => new Date(t.getTime() + seconds * 1000);
const fromAddress = () => ({ address: `2001:db8:${randomInt(65_536).toString(16)}:${randomInt(65_536).toString(16)}::1` });

/** What a bearer caller presents to the token service, as the /v1 routes pass it. */
async function presented(plaintext: string) {
  const auth = (await authenticateToken(plaintext))!;
  return { user: auth.user, token: { id: auth.tokenId, retiring: auth.retiring } };
}

/** A device login approved with the bearer token `parent`, polled once approved. */
async function deviceLoginApprovedWith(parent: { id: string }, user: { id: string }, now = new Date()) {
  const started = await startDeviceAuthorization(fromAddress(), now);
  await approveDevice({ ...user, viaTokenId: parent.id }, started.userCode, now);
  return pollDeviceToken(started.deviceCode, plus(now, 5));
}

describe("a token minted with a token", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a device login approved with a 300-second token gets no more than those 300 seconds, and dies when it is revoked", async () => {
    const user = await createTestUser();
    const now = new Date();
    const parent = await issueToken(user, { envPrefix: "dev", ttlSeconds: 300 }, now);
    const device = await deviceLoginApprovedWith(parent, user, now);
    const child = await authenticateToken(device.accessToken);
    assert.ok(child, "the device token works while its parent does");
    assert.ok(
      child.expiresAt.getTime() <= parent.expiresAt.getTime(),
      `device token expires ${child.expiresAt.toISOString()}, parent ${parent.expiresAt.toISOString()}`,
    );
    assert.ok(device.expiresIn <= 300, `expires_in ${device.expiresIn}`);

    await revokeToken(user, parent.id);
    assert.equal(await authenticateToken(device.accessToken), undefined, "the device token outlived its revoked parent");
  });

  test(
    "a chain parent → child → grandchild (by /v1 issue and by device approval): revoking the root ends " +
      "all; revoking the middle spares the root",
    async () => {
      const user = await createTestUser();
      const root = await issueToken(user, { envPrefix: "dev", ttlSeconds: 600 });
      const child = await issueToken(user, { envPrefix: "prod", ttlSeconds: 365 * 86_400, parentTokenId: root.id });
      const grandchild = await issueToken(user, { envPrefix: "dev", ttlSeconds: 365 * 86_400, parentTokenId: child.id });
      const deviceGrandchild = await deviceLoginApprovedWith(child, user);
      for (const token of [child, grandchild]) assert.ok(token.expiresAt.getTime() <= root.expiresAt.getTime());
      for (const plaintext of [root.plaintext, child.plaintext, grandchild.plaintext, deviceGrandchild.accessToken])
        assert.ok(await authenticateToken(plaintext));

      await revokeToken(user, child.id);
      assert.ok(await authenticateToken(root.plaintext), "revoking a child must not touch its parent");
      for (const plaintext of [child.plaintext, grandchild.plaintext, deviceGrandchild.accessToken])
        assert.equal(await authenticateToken(plaintext), undefined);
      // The descendants are revoked for good, not only refused: they leave the list too.
      const listed = (await listTokensPage(user, { limit: 200 })).items.map((t) => t.id);
      assert.deepEqual(listed, [root.id]);

      const second = await issueToken(user, { envPrefix: "dev", ttlSeconds: 3600, parentTokenId: root.id });
      const secondChild = await issueToken(user, { envPrefix: "dev", ttlSeconds: 3600, parentTokenId: second.id });
      await revokeToken(user, root.id);
      for (const plaintext of [root.plaintext, second.plaintext, secondChild.plaintext])
        assert.equal(await authenticateToken(plaintext), undefined);
    },
  );

  test("authentication itself checks the lineage: a child minted as its parent was revoked is refused at once", async () => {
    const user = await createTestUser();
    const parent = await issueToken(user, { envPrefix: "dev", ttlSeconds: 3600 });
    const child = await issueToken(user, { envPrefix: "dev", ttlSeconds: 3600, parentTokenId: parent.id });
    // The parent alone is revoked (as if the child's row was written after the revocation walked the tree).
    await (await testDatabase()).apiToken.update({ where: { id: parent.id }, data: { revokedAt: new Date() } });
    assert.equal(await authenticateToken(child.plaintext), undefined);
    // Nothing more can be minted from the dead lineage.
    await assert.rejects(issueToken(user, { envPrefix: "dev", parentTokenId: child.id }), { code: "unauthenticated", status: 401 });
  });

  test("a parent that expires takes its children with it, even past the bound (rows written by hand)", async () => {
    const user = await createTestUser();
    const t0 = new Date();
    const parent = await issueToken(user, { envPrefix: "dev", ttlSeconds: 300 }, t0);
    const child = await issueToken(user, { envPrefix: "dev", ttlSeconds: 300, parentTokenId: parent.id }, t0);
    await (await testDatabase()).apiToken.update({ where: { id: child.id }, data: { expiresAt: plus(t0, 3600) } });
    assert.ok(await authenticateToken(child.plaintext, plus(t0, 299)));
    assert.equal(await authenticateToken(child.plaintext, plus(t0, 301)), undefined);
  });

  test("rotating a child never carries it past its parent; a bearer may rotate only itself or what it minted", async () => {
    const user = await createTestUser();
    const t0 = new Date();
    const parent = await issueToken(user, { envPrefix: "dev", ttlSeconds: 300 }, t0);
    const child = await issueToken(user, { envPrefix: "dev", ttlSeconds: 300, parentTokenId: parent.id }, plus(t0, 200));
    assert.equal(child.expiresAt.getTime(), parent.expiresAt.getTime());
    const caller = await presented(parent.plaintext);
    const rotated = await rotateToken(caller.user, child.id, caller.token, plus(t0, 250));
    assert.ok(rotated.expiresAt.getTime() <= parent.expiresAt.getTime(), `rotated child expires ${rotated.expiresAt.toISOString()}`);

    // A short-lived token may not rotate a long-lived one it did not mint: the new plaintext would outlive it.
    const longLived = await issueToken(user, { envPrefix: "dev", ttlSeconds: 365 * 86_400 });
    await assert.rejects(rotateToken(caller.user, longLived.id, caller.token), { code: "permission_denied" });
    const child2 = await presented(rotated.plaintext);
    await assert.rejects(
      rotateToken(child2.user, parent.id, child2.token),
      { code: "permission_denied" },
      "a child may not rotate its parent",
    );
    assert.ok((await rotateToken(caller.user, parent.id, caller.token)).plaintext, "a token rotates itself");
    // Another account's token, or none, is not found, as for a session caller.
    const stranger = await issueToken(await createTestUser(), { envPrefix: "dev" });
    await assert.rejects(rotateToken(caller.user, stranger.id, caller.token), { code: "token_not_found" });
    await assert.rejects(rotateToken(caller.user, "0190a000-0000-7000-8000-000000000000", caller.token), { code: "token_not_found" });
  });

  test("a device login approved with a token that is revoked before the poll is denied, not minted", async () => {
    const user = await createTestUser();
    const parent = await issueToken(user, { envPrefix: "dev", ttlSeconds: 300 });
    const now = new Date();
    const started = await startDeviceAuthorization(fromAddress(), now);
    await approveDevice({ ...user, viaTokenId: parent.id }, started.userCode, now);
    await revokeToken(user, parent.id);
    await assert.rejects(pollDeviceToken(started.deviceCode, plus(now, 5)), { code: "access_denied" });
    assert.deepEqual((await listTokensPage(user, { limit: 200 })).items, []);
  });
});

describe("minting tokens is rate limited per account", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("past the limit: 429 token_issue_throttled with Retry-After; another account mints on", async () => {
    const [busy, bystander] = [await createTestUser(), await createTestUser()];
    for (let i = 0; i < TOKEN_ISSUE_LIMIT.points; i++) await issueToken(busy, { envPrefix: "dev" });
    const refused = await issueToken(busy, { envPrefix: "dev" }).then(
      () => assert.fail("the token over the limit was minted"),
      (error: unknown) => error,
    );
    const response = problemFromError(new Request("http://console.test/v1/auth/tokens", { method: "POST" }), refused);
    assert.equal(response.status, 429);
    const wait = Number(response.headers.get("retry-after"));
    assert.ok(Number.isInteger(wait) && wait > 0 && wait <= TOKEN_ISSUE_LIMIT.duration, `Retry-After: ${wait}`);
    assert.equal((await response.json()).code, "token_issue_throttled");
    assert.equal((await listTokensPage(busy, { limit: 200 })).items.length, TOKEN_ISSUE_LIMIT.points, "a refused mint stores nothing");
    assert.ok((await issueToken(bystander, { envPrefix: "dev" })).plaintext);
  });
});
