import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { v7 as uuidv7 } from "uuid";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { authorizePlatform, check } from "@/lib/authz/service";
import { verifyPassword } from "@/lib/auth/passwords";
import { createCloud } from "@/lib/clouds/service";
import { acceptInvitation, digestOf, getInvitation, issueInvitation, redeemInvitationByEmail, revokeInvitation } from "./invitations";
import { createLocalUser, passwordSetupFor, setPasswordWithToken } from "./password-setup";

const email = () => `invitee-${randomUUID()}@test.example`;
const PASSWORD = "correct horse battery staple";

describe("invitations", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("accepting creates the account, grants the initial tuples (a group's included), and the link works once", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const cloud = await createCloud(admin, {
      display_name: "I",
      slug: uniqueSlug(),
      provider: "gcp",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    const group = await db.group.create({ data: { id: uuidv7(), slug: uniqueSlug("g"), displayName: "Team", source: "manual" } });
    const invitee = email();
    const { invitation, token } = await issueInvitation(admin, {
      email: invitee,
      initialTuples: [
        { relation: "observer", object: `cloud:${cloud.id}` },
        { relation: "member", object: `group:${group.id}` },
      ],
    });
    assert.equal(invitation.status, "pending");
    const stored = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    assert.equal(stored.tokenDigest, digestOf(token), "only the digest is stored");
    assert.ok(!JSON.stringify(stored).includes(token));

    const { userId } = await acceptInvitation(token, { displayName: "Ada", password: PASSWORD });
    assert.equal(await check({ id: userId }, "observe", { cloud: cloud.id }), true);
    assert.equal(await check({ id: userId }, "manage", { cloud: cloud.id }), false);
    assert.equal(await db.groupMember.count({ where: { groupId: group.id, userId } }), 1);
    assert.equal(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash, PASSWORD), true);
    assert.equal((await getInvitation(admin, invitation.id)).status, "accepted");
    await assert.rejects(
      acceptInvitation(token, { displayName: "Eve", password: PASSWORD }),
      { code: "invitation_unusable" },
      "one-time use",
    );
    await assert.rejects(revokeInvitation(admin, invitation.id), { code: "invitation_already_accepted" });
    assert.equal(
      await db.auditEntry.count({ where: { targetId: invitation.id, action: { in: ["invitation.create", "invitation.accept"] } } }),
      2,
    );
  });

  test("an expired or revoked link is refused; a second pending invitation for one email is a conflict", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const a = email();
    const t0 = new Date(Date.now() - 120_000);
    const expired = await issueInvitation(admin, { email: a, ttlSeconds: 60 }, t0);
    await assert.rejects(acceptInvitation(expired.token, { displayName: "A", password: PASSWORD }), { code: "invitation_unusable" });
    assert.equal((await getInvitation(admin, expired.invitation.id)).status, "expired");
    await assert.rejects(revokeInvitation(admin, expired.invitation.id), { code: "invitation_already_expired" });

    const live = await issueInvitation(admin, { email: a });
    await assert.rejects(issueInvitation(admin, { email: a }), { code: "invitation_already_pending" });
    await revokeInvitation(admin, live.invitation.id);
    await revokeInvitation(admin, live.invitation.id); // a no-op the second time
    await assert.rejects(acceptInvitation(live.token, { displayName: "A", password: PASSWORD }), { code: "invitation_unusable" });
  });

  test("issuing is for platform admins, within the rules", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const user = await createTestUser();
    await assert.rejects(
      authorizePlatform(user).then((manager) => issueInvitation(manager, { email: email() })),
      { code: "permission_denied" },
    );
    await assert.rejects(issueInvitation(admin, { email: email(), ttlSeconds: 30 }), { code: "invalid_ttl" });
    await assert.rejects(
      issueInvitation(admin, { email: email(), initialTuples: [{ relation: "manage", object: `cloud:${randomUUID()}` }] }),
      { code: "invitation_object_out_of_scope" },
    );
    await assert.rejects(issueInvitation(admin, { email: user.email }), { code: "identity_already_exists" });
  });

  test("redeemInvitationByEmail (the SSO invited policy) claims the pending invitation once", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const invitee = email();
    await issueInvitation(admin, { email: invitee, initialTuples: [{ relation: "manage", object: "platform:plexsphere" }] });
    const userId = uuidv7();
    const redeemed = await db.$transaction(async (tx) => {
      await tx.user.create({ data: { id: userId, email: invitee, displayName: "SSO person" } });
      return redeemInvitationByEmail(tx, { email: invitee.toUpperCase(), userId });
    });
    assert.equal(redeemed, true);
    assert.equal(await check({ id: userId }, "manage", { platform: "plexsphere" }), true);
    assert.equal(await db.$transaction((tx) => redeemInvitationByEmail(tx, { email: invitee, userId })), false);
  });

  test("the admin command's set-password link sets the password once", async () => {
    const db = await testDatabase();
    const { userId, token } = await createLocalUser({ email: email(), platformAdmin: true });
    assert.equal(await check({ id: userId }, "manage", { platform: "plexsphere" }), true);
    assert.ok(await passwordSetupFor(token));
    await assert.rejects(setPasswordWithToken(token, { password: "short" }), { code: "invalid_password" });
    await setPasswordWithToken(token, { password: PASSWORD });
    assert.equal(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash, PASSWORD), true);
    assert.equal(await passwordSetupFor(token), undefined);
    await assert.rejects(setPasswordWithToken(token, { password: PASSWORD }), { code: "password_link_unusable" });
  });
});
