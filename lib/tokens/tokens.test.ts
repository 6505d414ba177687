import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeTestDatabase, createTestUser, testDatabase, testDatabaseUrl } from "@/testing/database";
import { dumpDatabase } from "@/testing/canary";
import { TOKEN_NAME_MAX, createTokenSchema, deviceTokenName } from "./schema";
import {
  LAST_USED_RESOLUTION_MS,
  ROTATION_GRACE_SECONDS,
  authenticateToken,
  issueToken,
  listTokensPage,
  revokeToken,
  rotateToken,
} from "./service";

const at = (iso: string) => new Date(iso);

describe("API tokens", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("the plaintext authenticates until it expires, and only its digest is stored", async () => {
    const user = await createTestUser();
    const issued = await issueToken(user, { envPrefix: "dev", ttlSeconds: 3600 }, at("2026-01-01T00:00:00Z"));
    assert.match(issued.plaintext, /^psk_dev_[A-Za-z0-9_-]{43}$/);
    assert.equal((await authenticateToken(issued.plaintext, at("2026-01-01T00:59:59Z")))?.user.id, user.id);
    assert.equal(await authenticateToken(issued.plaintext, at("2026-01-01T01:00:00Z")), undefined);
    assert.equal((await dumpDatabase(await testDatabaseUrl())).includes(issued.plaintext.slice(8)), false);
  });

  test("a rotated token's old plaintext works until the Sunset, the new one after it", async () => {
    const user = await createTestUser();
    const t0 = at("2026-02-01T00:00:00Z");
    const old = await issueToken(user, { envPrefix: "prod", ttlSeconds: 30 * 86_400 }, t0);
    const rotated = await rotateToken(user, old.id, undefined, t0);
    assert.equal(rotated.id, old.id);
    assert.equal(rotated.sunset.getTime(), t0.getTime() + ROTATION_GRACE_SECONDS * 1000);
    const beforeSunset = new Date(rotated.sunset.getTime() - 1);
    const afterSunset = new Date(rotated.sunset.getTime() + 1);
    assert.equal((await authenticateToken(old.plaintext, beforeSunset))?.user.id, user.id);
    assert.equal(await authenticateToken(old.plaintext, afterSunset), undefined);
    assert.equal((await authenticateToken(rotated.plaintext, afterSunset))?.user.id, user.id);
  });

  test("revocation is immediate for both plaintexts; someone else's token is not found", async () => {
    const user = await createTestUser();
    const stranger = await createTestUser();
    const token = await issueToken(user, { envPrefix: "dev" });
    const rotated = await rotateToken(user, token.id);
    await assert.rejects(revokeToken(stranger, token.id), { code: "token_not_found" });
    await assert.rejects(rotateToken(stranger, token.id), { code: "token_not_found" });
    await revokeToken(user, token.id);
    assert.equal(await authenticateToken(token.plaintext), undefined);
    assert.equal(await authenticateToken(rotated.plaintext), undefined);
    assert.deepEqual((await listTokensPage(user, { limit: 50 })).items, []);
    await assert.rejects(revokeToken(user, "not-a-uuid"), { code: "token_not_found" });
  });

  test("a lifetime beyond a year, and malformed plaintexts, are refused", async () => {
    const user = await createTestUser();
    await assert.rejects(issueToken(user, { envPrefix: "dev", ttlSeconds: 366 * 86_400 }), { code: "invalid_body" });
    for (const forged of ["", "psk_dev_", "Bearer x", `psk_dev_${"A".repeat(43)}`, `psk_xyz_${"A".repeat(43)}`]) {
      assert.equal(await authenticateToken(forged), undefined);
    }
  });
});

describe("token rotation limits", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("rotating never extends a token's lifetime, however often", async () => {
    const user = await createTestUser();
    const t0 = at("2026-04-01T00:00:00Z");
    const token = await issueToken(user, { envPrefix: "dev", ttlSeconds: 30 * 86_400 }, t0);
    let now = t0;
    for (let i = 1; i <= 3; i++) {
      now = new Date(t0.getTime() + i * 10 * 86_400_000);
      const rotated = await rotateToken(user, token.id, undefined, now);
      assert.equal(rotated.expiresAt.getTime(), now.getTime() + 30 * 86_400_000, `rotation ${i}`);
    }
  });

  test("the rotated-out plaintext authenticates as retiring; a token minted with a token never outlives it", async () => {
    const user = await createTestUser();
    const token = await issueToken(user, { envPrefix: "dev", ttlSeconds: 3600 });
    const rotated = await rotateToken(user, token.id);
    assert.equal((await authenticateToken(token.plaintext))?.retiring, true);
    assert.equal((await authenticateToken(rotated.plaintext))?.retiring, false);
    const parent = await issueToken(user, { envPrefix: "dev", ttlSeconds: 60 });
    const child = await issueToken(user, { envPrefix: "prod", ttlSeconds: 365 * 86_400, parentTokenId: parent.id });
    assert.equal(child.expiresAt.getTime(), parent.expiresAt.getTime());
  });
});

describe("concurrent rotations", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("two rotations at once never hand out a plaintext that is already dead", async () => {
    const user = await createTestUser();
    for (let round = 0; round < 5; round++) {
      const token = await issueToken(user, { envPrefix: "dev" });
      const [a, b] = await Promise.all([rotateToken(user, token.id), rotateToken(user, token.id)]);
      assert.notEqual(a.plaintext, b.plaintext);
      // Whichever ran second rotated from the first's plaintext: one is current, the other retiring, both work.
      assert.ok(await authenticateToken(a.plaintext), `round ${round}: the first rotation's plaintext is dead`);
      assert.ok(await authenticateToken(b.plaintext), `round ${round}: the second rotation's plaintext is dead`);
    }
  });
});

describe("a token's name, maker and last use", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a token is listed by its name, with who minted it; a name is required, bounded and printable", async () => {
    const user = await createTestUser();
    await issueToken(user, { name: "  CI deploys  ", envPrefix: "dev" });
    const [listed] = (await listTokensPage(user, { limit: 200 })).items;
    assert.equal(listed.name, "CI deploys");
    assert.deepEqual(listed.createdBy, { id: user.id, email: user.email });
    for (const name of ["", "   ", "x".repeat(TOKEN_NAME_MAX + 1), "line\nbreak", "rtl\u202eevil"]) {
      await assert.rejects(issueToken(user, { name, envPrefix: "dev" }), { code: "invalid_body" }, JSON.stringify(name));
    }
    // The console's form says so too, with the same rule.
    assert.equal(createTokenSchema.safeParse({ name: "", env_prefix: "dev", ttl_days: 30 }).success, false);
    assert.equal(createTokenSchema.safeParse({ name: "x".repeat(TOKEN_NAME_MAX), env_prefix: "dev", ttl_days: 30 }).success, true);
    // A device login's token is named from what the CLI said, cut to fit.
    assert.equal(deviceTokenName("plexctl · plexctl (linux)"), "plexctl · plexctl (linux) · device login");
    assert.ok(Array.from(deviceTokenName("y".repeat(500))).length <= TOKEN_NAME_MAX);
  });

  test("last used is recorded when the token authenticates, at most once a minute", async () => {
    const user = await createTestUser();
    const t0 = at("2026-03-01T00:00:00Z");
    const token = await issueToken(user, { name: "busy automation", envPrefix: "dev" }, t0);
    const lastUsed = async () =>
      (await listTokensPage(user, { limit: 200 }, t0)).items.find((t) => t.id === token.id)?.lastUsedAt?.toISOString();
    assert.equal(await lastUsed(), undefined);
    await authenticateToken(token.plaintext, at("2026-03-01T00:00:10Z"));
    assert.equal(await lastUsed(), "2026-03-01T00:00:10.000Z");
    await authenticateToken(token.plaintext, at("2026-03-01T00:00:40Z"));
    assert.equal(await lastUsed(), "2026-03-01T00:00:10.000Z");
    await authenticateToken(token.plaintext, new Date(at("2026-03-01T00:00:10Z").getTime() + LAST_USED_RESOLUTION_MS));
    assert.equal(await lastUsed(), "2026-03-01T00:01:10.000Z");
  });
});

describe("a retiring plaintext", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("cannot revoke or rotate the token its new holder now uses; the current one can", async () => {
    const user = await createTestUser();
    const token = await issueToken(user, { envPrefix: "dev" });
    const rotated = await rotateToken(user, token.id);
    const retiring = await authenticateToken(token.plaintext);
    assert.equal(retiring?.retiring, true);
    const presented = { id: retiring.tokenId, retiring: retiring.retiring };
    await assert.rejects(revokeToken(retiring.user, token.id, presented), { code: "permission_denied" });
    await assert.rejects(rotateToken(retiring.user, token.id, presented), { code: "permission_denied" });
    assert.equal((await authenticateToken(rotated.plaintext))?.user.id, user.id);
    const current = (await authenticateToken(rotated.plaintext))!;
    await revokeToken(current.user, token.id, { id: current.tokenId, retiring: current.retiring });
    assert.equal(await authenticateToken(rotated.plaintext), undefined);
  });
});
