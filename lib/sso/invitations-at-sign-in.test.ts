import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { authorizePlatform, check } from "@/lib/authz/service";
import { createProject } from "@/lib/projects/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { startDiscoveryServer, type DiscoveryServer } from "@/testing/discovery-server";
import { INVISIBLES } from "@/testing/invisibles";
import { createGroup } from "@/lib/identity/group-admin";
import { createBinding } from "./bindings";
import type { JitPolicy } from "./schema";
import { issueInvitation, revokeInvitation } from "@/lib/identity/invitations";
import { ssoSignIn } from "./sign-in";

/**
 * An open invitation is redeemed by the SSO sign-in of its email, first
 * time or not, under every JIT policy: accepted, its staged grants given,
 * audited as accepting the link is. Only once, and never when it expired
 * or was revoked.
 */

// One database for the file: the secret store keeps the client it was first made with.
before(testDatabase);
after(closeTestDatabase);
// Saving a binding fetches its discovery document: a real one, from loopback.
let idps: DiscoveryServer;
before(async () => (idps = await startDiscoveryServer()));
after(() => idps.stop());

const unique = () => randomUUID().slice(0, 8);

const POLICIES: [string, JitPolicy][] = [
  ["allow", { mode: "allow" }],
  ["domains (listed)", { mode: "domains", domains: ["corp.example"] }],
  ["domains (not listed)", { mode: "domains", domains: ["elsewhere.example"] }],
  ["deny", { mode: "deny" }],
  ["invited", { mode: "invited" }],
];

async function given(policy: JitPolicy) {
  const db = await testDatabase();
  const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
  const idp = await createBinding(admin, {
    domainId: null,
    issuer: idps.issuer(`idp-${unique()}`),
    clientId: "c",
    clientSecret: "s",
    jitPolicy: policy,
    alias: `idp-${unique()}`,
  });
  const group = await createGroup(admin, { slug: `staged-${unique()}`, displayName: "Staged", source: "manual" });
  const project = await createProject(admin, { name: "Payments", slug: uniqueSlug("p") });
  const email = `bob-${unique()}@corp.example`;
  const invite = async (to = email, ttlSeconds?: number) =>
    (
      await issueInvitation(admin, {
        email: to,
        ttlSeconds,
        initialTuples: [
          { object: `group:${group.id}`, relation: "member" },
          { object: `project:${project.id}`, relation: "deploy" },
        ],
      })
    ).invitation;
  const claims = (extra: Record<string, unknown> = {}) => ({ sub: `sub-${email}`, email, email_verified: true, name: "Bob", ...extra });
  const invitationOf = (id: string) => db.invitation.findUniqueOrThrow({ where: { id } });
  const isMember = async (userId: string) =>
    (await db.groupMember.findUnique({ where: { groupId_userId: { groupId: group.id, userId } } })) !== null;
  const accepts = (invitationId: string) => db.auditEntry.findMany({ where: { action: "invitation.accept", targetId: invitationId } });
  return { db, admin, idp, group, project, email, invite, claims, invitationOf, isMember, accepts };
}

describe("an invitation redeemed by single sign-on", () => {
  for (const [label, policy] of POLICIES) {
    test(`a first-time sign-in under JIT "${label}" redeems it: accepted, group and grant given, audited`, async () => {
      const { idp, project, invite, claims, invitationOf, isMember, accepts } = await given(policy);
      const invitation = await invite();
      const verdict = await ssoSignIn(idp.alias, claims());
      assert.ok(verdict.ok, JSON.stringify(verdict));
      const row = await invitationOf(invitation.id);
      assert.ok(row.acceptedAt);
      assert.equal(row.acceptedUserId, verdict.user.id);
      assert.ok(await isMember(verdict.user.id));
      assert.ok(await check(verdict.user, "deploy", { project: project.id }));
      assert.deepEqual(
        (await accepts(invitation.id)).map((e) => [e.actorId, e.outcome]),
        [[verdict.user.id, "succeeded"]],
      );
    });

    test(`a returning person under JIT "${label}" redeems the invitation their email was given`, async () => {
      const { db, idp, project, email, invite, claims, invitationOf, isMember, accepts } = await given(policy);
      const invitation = await invite();
      // Someone who already signs in here through this IdP (the sign-in that lost the invitation before).
      const bob = await db.user.create({
        data: {
          id: randomUUID(),
          email,
          displayName: "Bob",
          idpBindingId: idp.id,
          externalSubject: claims().sub,
          lastSignInAt: new Date(),
        },
      });
      const verdict = await ssoSignIn(idp.alias, claims());
      assert.ok(verdict.ok && verdict.user.id === bob.id, JSON.stringify(verdict));
      assert.equal((await invitationOf(invitation.id)).acceptedUserId, bob.id);
      assert.ok(await isMember(bob.id));
      assert.ok(await check(bob, "deploy", { project: project.id }));
      assert.equal((await accepts(invitation.id)).length, 1);
      // Signing in again changes nothing: the invitation was spent once.
      assert.ok((await ssoSignIn(idp.alias, claims())).ok);
      assert.equal((await accepts(invitation.id)).length, 1);
    });
  }

  test("two sign-ins at once, new or returning, redeem it once", async () => {
    const { db, idp, invite, claims, invitationOf, accepts } = await given({ mode: "deny" });
    const invitation = await invite();
    const verdicts = await Promise.all(Array.from({ length: 6 }, () => ssoSignIn(idp.alias, claims())));
    assert.ok(
      verdicts.every((v) => v.ok),
      JSON.stringify(verdicts),
    );
    const ids = new Set(verdicts.map((v) => (v.ok ? v.user.id : "")));
    assert.equal(ids.size, 1);
    assert.equal((await invitationOf(invitation.id)).acceptedUserId, [...ids][0]);
    assert.equal((await accepts(invitation.id)).length, 1);
    assert.equal(await db.groupMember.count({ where: { userId: [...ids][0] } }), 1);
  });

  test("an expired or revoked invitation is not redeemed, and admits nobody the policy refuses", async () => {
    const { db, admin, idp, invite, claims, email, invitationOf, accepts } = await given({ mode: "deny" });
    const revoked = await invite();
    await revokeInvitation(admin, revoked.id);
    assert.deepEqual(await ssoSignIn(idp.alias, claims()), { ok: false, reason: "jit_refused" });
    const expiring = await invite(email, 60);
    await db.invitation.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.deepEqual(await ssoSignIn(idp.alias, claims()), { ok: false, reason: "jit_refused" });
    assert.equal(await db.user.findUnique({ where: { email } }), null);
    // A returning person does not redeem them either.
    const bob = await db.user.create({
      data: { id: randomUUID(), email, displayName: "Bob", idpBindingId: idp.id, externalSubject: claims().sub },
    });
    assert.ok((await ssoSignIn(idp.alias, claims())).ok);
    for (const id of [revoked.id, expiring.id]) {
      const row = await invitationOf(id);
      assert.equal(row.acceptedAt, null);
      assert.deepEqual(await accepts(id), []);
    }
    assert.equal(await db.groupMember.count({ where: { userId: bob.id } }), 0);
  });

  test("where the policy alone would refuse, only an email the IdP marks verified is admitted by an invitation", async () => {
    for (const policy of [{ mode: "deny" }, { mode: "domains", domains: ["corp.example"] }] as JitPolicy[]) {
      const { db, idp, invite, claims, email, invitationOf } = await given(policy);
      const invitation = await invite();
      assert.deepEqual(await ssoSignIn(idp.alias, claims({ email_verified: undefined })), { ok: false, reason: "jit_refused" });
      assert.equal(await db.user.findUnique({ where: { email } }), null);
      assert.equal((await invitationOf(invitation.id)).acceptedAt, null);
    }
    // The invited policy keeps its rule: an email not marked unverified.
    const invited = await given({ mode: "invited" });
    const invitation = await invited.invite();
    assert.ok((await ssoSignIn(invited.idp.alias, invited.claims({ email_verified: undefined }))).ok);
    assert.ok((await invited.invitationOf(invitation.id)).acceptedAt);
  });

  test("a returning person whose IdP now sends the invited address unverified does not take the invitation", async () => {
    const { db, idp, invite, claims, invitationOf } = await given({ mode: "allow" });
    const invitation = await invite();
    await db.user.create({
      data: {
        id: randomUUID(),
        email: `old-${unique()}@corp.example`,
        displayName: "Someone",
        idpBindingId: idp.id,
        externalSubject: claims().sub,
      },
    });
    assert.ok((await ssoSignIn(idp.alias, claims({ email_verified: undefined }))).ok);
    assert.equal((await invitationOf(invitation.id)).acceptedAt, null);
  });

  test("under allow, an address the IdP does not mark verified admits a person but takes no invitation meant for its owner", async () => {
    const { db, idp, email, invite, claims, invitationOf, isMember } = await given({ mode: "allow" });
    const invitation = await invite();
    const verdict = await ssoSignIn(idp.alias, claims({ email_verified: undefined }));
    assert.ok(verdict.ok, "allow admits anyone the IdP signs in");
    assert.equal((await invitationOf(invitation.id)).acceptedAt, null, "the invitation waits for a verified owner");
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    assert.equal(await isMember(user.id), false);
    // The same person, once the IdP vouches for the address, redeems it.
    assert.ok((await ssoSignIn(idp.alias, claims())).ok);
    assert.ok((await invitationOf(invitation.id)).acceptedAt);
    assert.equal(await isMember(user.id), true);
  });

  test("a disabled person is refused and the invitation stays open", async () => {
    const { db, idp, email, invite, claims, invitationOf } = await given({ mode: "allow" });
    const invitation = await invite();
    await db.user.create({
      data: {
        id: randomUUID(),
        email,
        displayName: "Bob",
        idpBindingId: idp.id,
        externalSubject: claims().sub,
        status: "disabled",
        disabledAt: new Date(),
      },
    });
    assert.deepEqual(await ssoSignIn(idp.alias, claims()), { ok: false, reason: "user_disabled" });
    assert.equal((await invitationOf(invitation.id)).acceptedAt, null);
  });
});

describe("names and emails an IdP sends", () => {
  test("invisible and reordering characters are taken out of the name, not a reason to refuse the sign-in", async () => {
    const { db, idp } = await given({ mode: "allow" });
    for (const [label, ch] of INVISIBLES) {
      const email = `n-${unique()}@corp.example`;
      const verdict = await ssoSignIn(idp.alias, { sub: `s-${email}`, email, email_verified: true, name: `Ada${ch} Love${ch}lace${ch}` });
      assert.ok(verdict.ok, label);
      assert.equal((await db.user.findUniqueOrThrow({ where: { id: verdict.user.id } })).displayName, "Ada Lovelace", label);
    }
    // A name of nothing but invisible characters leaves the email as the name, as a missing one does.
    const email = `blank-${unique()}@corp.example`;
    const verdict = await ssoSignIn(idp.alias, { sub: `s-${email}`, email, email_verified: true, name: "\u200b\u202e" });
    assert.ok(verdict.ok && verdict.user.displayName === email);
  });

  test("an email with them is refused (it is not the address it reads as), and another case or width of an address is that address", async () => {
    const { db, idp } = await given({ mode: "allow" });
    const owner = await createTestUser({ label: "owner" });
    for (const [label, ch] of INVISIBLES.filter(([, c]) => !/^\s$/.test(c))) {
      const spoof = `${owner.email}${ch}`;
      assert.deepEqual(
        await ssoSignIn(idp.alias, { sub: `s-${unique()}`, email: spoof, email_verified: true, name: "Mallory" }),
        { ok: false, reason: "email_invalid" },
        label,
      );
    }
    assert.equal(await db.user.count({ where: { email: { startsWith: owner.email } } }), 1);
    const verdict = await ssoSignIn(idp.alias, {
      sub: `s-${unique()}`,
      email: owner.email.toUpperCase(),
      email_verified: true,
      name: "Owner",
    });
    assert.ok(verdict.ok && verdict.user.id === owner.id);
  });
});
