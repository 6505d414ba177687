import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { authorizePlatform, check } from "@/lib/authz/service";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { PermissionDeniedError } from "@/lib/errors";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { startDiscoveryServer, type DiscoveryServer } from "@/testing/discovery-server";
import { addMembership, createGroup, removeMembership } from "@/lib/identity/group-admin";
import {
  bindingToWire,
  clientSecretFor,
  createBinding,
  deleteBinding,
  setBindingStatus,
  updateBinding,
  type BindingInput,
} from "./bindings";
import type { JitPolicy } from "./schema";
import { recordLocalSignIn, ssoSignIn } from "./sign-in";

// Read once by lib/env.ts, before anything in this file asks for it.
process.env.PLATFORM_ADMIN_EMAILS = "first-admin@corp.example, Other@corp.example";

// One database for the file: the secret store keeps the client it was first made with.
before(testDatabase);
after(closeTestDatabase);
// Saving a binding fetches its discovery document: a real one, from loopback.
let idps: DiscoveryServer;
before(async () => (idps = await startDiscoveryServer()));
after(() => idps.stop());

const SECRET = "idp-client-secret-canary-7f3a";
const unique = () => randomUUID().slice(0, 8);

function bindingInput(overrides: Partial<BindingInput> = {}): BindingInput {
  const id = unique();
  return {
    domainId: null,
    issuer: idps.issuer(`idp-${id}`),
    clientId: `client-${id}`,
    clientSecret: SECRET,
    jitPolicy: { mode: "allow" },
    alias: `idp-${id}`,
    ...overrides,
  };
}

async function binding(actor: { id: string }, jitPolicy: JitPolicy, overrides: Partial<BindingInput> = {}) {
  return createBinding(await authorizePlatform(actor), bindingInput({ jitPolicy, ...overrides }));
}

const claims = (email: string, extra: Record<string, unknown> = {}) => ({
  sub: `sub-${unique()}`,
  email,
  email_verified: true,
  name: "Ada Lovelace",
  ...extra,
});

describe("IdP bindings", () => {
  test("the client secret goes to the secret store; the row and the response hold only its reference", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const row = await binding(admin, { mode: "allow" });
    assert.match(row.clientSecretRef, /^plexsphere\/idp-bindings\//);
    assert.equal(await clientSecretFor(row), SECRET);
    const wire = JSON.stringify(bindingToWire(row));
    assert.ok(!wire.includes(SECRET));
    const stored = await db.$queryRawUnsafe<unknown[]>("SELECT * FROM idp_bindings WHERE id = $1::uuid", row.id);
    assert.ok(!JSON.stringify(stored).includes(SECRET));
    const audit = await db.auditEntry.findMany({ where: { targetId: row.id } });
    assert.deepEqual(
      audit.map((e) => e.action),
      ["idp_binding.create"],
    );
    assert.ok(!JSON.stringify(audit).includes(SECRET));
  });

  test("replacing the secret stores the new one under a new reference and destroys the old", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const row = await binding(admin, { mode: "allow" });
    const updated = await updateBinding(admin, row.id, { clientSecret: "second-secret" });
    assert.notEqual(updated.clientSecretRef, row.clientSecretRef);
    assert.equal(await clientSecretFor(updated), "second-secret");
    await assert.rejects(clientSecretFor(row));
  });

  test("someone without platform#manage can neither create nor change a binding, and the denial is audited", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const stranger = await createTestUser();
    await assert.rejects(binding(stranger, { mode: "allow" }), (e) => e instanceof PermissionDeniedError);
    const row = await binding(admin, { mode: "allow" });
    const error = await authorizePlatform(stranger)
      .then((manager) => setBindingStatus(manager, row.id, "inactive"))
      .catch((e) => e);
    assert.ok(error instanceof PermissionDeniedError);
    // Identical denials share one entry (lib/audit/denials.ts), so look for the stranger's, not this correlation id's.
    assert.ok(await db.auditEntry.findFirst({ where: { actorId: stranger.id, action: "platform#manage", outcome: "denied" } }));
    assert.equal((await db.idpBinding.findUniqueOrThrow({ where: { id: row.id } })).status, "active");
  });

  test("a second active binding for the same issuer, or a taken alias, is a conflict", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const row = await binding(admin, { mode: "allow" });
    await assert.rejects(binding(admin, { mode: "allow" }, { issuer: row.issuer }), { code: "binding_conflict" });
    await assert.rejects(binding(admin, { mode: "allow" }, { alias: row.alias }), { code: "alias-conflict" });
  });

  test("deleting a binding removes its secret and is audited", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const row = await binding(admin, { mode: "allow" });
    await deleteBinding(admin, row.id);
    assert.equal(await db.idpBinding.findUnique({ where: { id: row.id } }), null);
    await assert.rejects(clientSecretFor(row));
    assert.ok(await db.auditEntry.findFirst({ where: { targetId: row.id, action: "idp_binding.delete" } }));
  });
});

describe("signing in through an identity provider", () => {
  test("a first sign-in creates the person (JIT), later ones update them and their IdP groups", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const idp = await binding(admin, { mode: "allow" });
    const ops = await db.group.create({
      data: { id: randomUUID(), slug: `ops-${unique()}`, displayName: "Ops", source: "idp", idpBindingId: idp.id, idpClaimValue: "ops" },
    });
    const dev = await db.group.create({
      data: { id: randomUUID(), slug: `dev-${unique()}`, displayName: "Dev", source: "idp", idpBindingId: idp.id, idpClaimValue: "dev" },
    });
    const email = `ada-${unique()}@corp.example`;
    const first = claims(email, { groups: ["ops", "unmapped"] });
    const verdict = await ssoSignIn(idp.alias, first);
    assert.ok(verdict.ok);
    const user = await db.user.findUniqueOrThrow({ where: { id: verdict.user.id } });
    assert.deepEqual([user.email, user.idpBindingId, user.externalSubject, user.passwordHash], [email, idp.id, first.sub, null]);
    assert.ok(user.lastSignInAt);
    const groupsOf = async () => (await db.groupMember.findMany({ where: { userId: user.id } })).map((m) => m.groupId).sort();
    assert.deepEqual(await groupsOf(), [ops.id]);

    const again = await ssoSignIn(idp.alias, { ...first, name: "Ada King", groups: ["dev"] });
    assert.ok(again.ok && again.user.id === user.id);
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: user.id } })).displayName, "Ada King");
    assert.deepEqual(await groupsOf(), [dev.id]);
    const trail = await db.auditEntry.findMany({ where: { actorId: user.id }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    assert.deepEqual(
      trail.map((e) => `${e.action}:${e.outcome}`),
      [
        "user.jit_create:succeeded",
        "group.member_add:succeeded",
        "auth.sign_in:succeeded",
        "group.member_add:succeeded",
        "group.member_remove:succeeded",
        "auth.sign_in:succeeded",
      ],
    );
    // The same actions an administrator's change writes; the reason names the sign-in sync and its binding.
    const sync = `user ${user.id}; IdP sign-in sync of ${idp.alias}`;
    assert.deepEqual(
      trail.filter((e) => e.action.startsWith("group.")).map((e) => [e.action, e.targetId, e.reason]),
      [
        ["group.member_add", ops.id, sync],
        ["group.member_add", dev.id, sync],
        ["group.member_remove", ops.id, sync],
      ],
    );
  });

  test("an administrator's membership changes write the same two actions as the sign-in sync, with the administrator as actor", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const member = await createTestUser();
    const group = await createGroup(admin, { slug: `hand-${unique()}`, displayName: "By hand", source: "manual" });
    await addMembership(admin, group.id, { userId: member.id });
    await removeMembership(admin, group.id, member.id);
    const trail = await db.auditEntry.findMany({
      where: { targetId: group.id, action: { startsWith: "group.member" } },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    assert.deepEqual(
      trail.map((e) => [e.action, e.actorId, e.reason]),
      [
        ["group.member_add", admin.id, `user ${member.id}`],
        ["group.member_remove", admin.id, `user ${member.id}`],
      ],
    );
  });

  test("claim mappings choose which claims are the email, the name and the groups", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const idp = await binding(admin, { mode: "allow" }, { claimMappings: { email: "upn", name: "display", groups: "roles" } });
    const group = await db.group.create({
      data: { id: randomUUID(), slug: `r-${unique()}`, displayName: "R", source: "idp", idpBindingId: idp.id, idpClaimValue: "reader" },
    });
    const upn = `grace-${unique()}@corp.example`;
    const verdict = await ssoSignIn(idp.alias, { sub: "s-1", upn, email_verified: true, display: "Grace Hopper", roles: "reader" });
    assert.ok(verdict.ok);
    assert.deepEqual([verdict.user.email, verdict.user.displayName], [upn, "Grace Hopper"]);
    assert.ok(await db.groupMember.findUnique({ where: { groupId_userId: { groupId: group.id, userId: verdict.user.id } } }));
  });

  test("each refusal has its reason and an audit entry naming the binding, and creates nobody", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const domains = await binding(admin, { mode: "domains", domains: ["corp.example"] });
    const invited = await binding(admin, { mode: "invited" });
    const deny = await binding(admin, { mode: "deny" });
    const inactive = await binding(admin, { mode: "allow" });
    await setBindingStatus(admin, inactive.id, "inactive");

    const cases: [string, Record<string, unknown>, string][] = [
      [domains.alias, claims(`x-${unique()}@elsewhere.example`), "jit_refused"],
      [domains.alias, claims(`x-${unique()}@corp.example`, { email_verified: undefined }), "jit_refused"],
      [domains.alias, claims(`x-${unique()}@corp.example`, { email_verified: false }), "email_unverified"],
      [invited.alias, claims(`x-${unique()}@corp.example`), "jit_refused"],
      [deny.alias, claims(`x-${unique()}@corp.example`), "jit_refused"],
      [inactive.alias, claims(`x-${unique()}@corp.example`), "binding_inactive"],
      [domains.alias, { sub: "no-email", email_verified: true }, "email_missing"],
    ];
    for (const [alias, input, reason] of cases) {
      const verdict = await ssoSignIn(alias, input);
      assert.deepEqual(verdict, { ok: false, reason }, `${alias} ${JSON.stringify(input)}`);
      if (typeof input.email === "string") assert.equal(await db.user.findUnique({ where: { email: input.email } }), null);
    }
    const denied = await db.auditEntry.findMany({
      where: {
        action: "auth.sign_in",
        outcome: "denied",
        targetType: "idp_binding",
        targetId: { in: [domains.id, invited.id, deny.id, inactive.id] },
      },
    });
    assert.equal(denied.length, cases.length);
    assert.ok(denied.every((e) => e.reason?.includes(" via ")));
  });

  test("the domains policy admits a verified email of a listed domain; the invited policy admits an invitee and grants the invitation", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const domains = await binding(admin, { mode: "domains", domains: ["corp.example"] });
    assert.ok((await ssoSignIn(domains.alias, claims(`y-${unique()}@corp.example`))).ok);

    const invited = await binding(admin, { mode: "invited" });
    const email = `invitee-${unique()}@partner.example`;
    const projectId = randomUUID();
    await db.invitation.create({
      data: {
        id: randomUUID(),
        email,
        tokenDigest: unique() + unique(),
        createdById: admin.id,
        expiresAt: new Date(Date.now() + 3_600_000),
        initialTuples: [{ object: `project:${projectId}`, relation: "deploy" }],
      },
    });
    const verdict = await ssoSignIn(invited.alias, claims(email));
    assert.ok(verdict.ok);
    assert.ok(await check(verdict.user, "deploy", { project: projectId }));
    // The invitation is spent: another first-timer with that address (another subject) is not admitted by it again.
    await db.user.delete({ where: { id: verdict.user.id } });
    assert.deepEqual(await ssoSignIn(invited.alias, claims(email)), { ok: false, reason: "jit_refused" });
  });

  test("a disabled person is refused", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const idp = await binding(admin, { mode: "allow" });
    const input = claims(`z-${unique()}@corp.example`);
    const verdict = await ssoSignIn(idp.alias, input);
    assert.ok(verdict.ok);
    await db.user.update({ where: { id: verdict.user.id }, data: { status: "disabled", disabledAt: new Date() } });
    assert.deepEqual(await ssoSignIn(idp.alias, input), { ok: false, reason: "user_disabled" });
  });

  test("an unverified email never takes over an existing account with that address", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const local = await createTestUser({ label: "local" });
    const idp = await binding(admin, { mode: "allow" });
    assert.deepEqual(await ssoSignIn(idp.alias, claims(local.email, { email_verified: undefined })), {
      ok: false,
      reason: "email_unverified",
    });
    const verified = await ssoSignIn(idp.alias, claims(local.email));
    assert.ok(verified.ok && verified.user.id === local.id);
  });

  test("PLATFORM_ADMIN_EMAILS makes a listed person an administrator at their first sign-in, SSO or password", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const idp = await binding(admin, { mode: "allow" });
    await db.user.deleteMany({ where: { email: { in: ["first-admin@corp.example", "other@corp.example"] } } });
    const verdict = await ssoSignIn(idp.alias, claims("first-admin@corp.example"));
    assert.ok(verdict.ok);
    assert.ok(await check(verdict.user, "manage", { platform: PLATFORM_ID }));
    const unlisted = await ssoSignIn(idp.alias, claims(`nobody-${unique()}@corp.example`));
    assert.ok(unlisted.ok && !(await check(unlisted.user, "manage", { platform: PLATFORM_ID })));

    const local = await db.user.create({
      data: { id: randomUUID(), email: "other@corp.example", displayName: "Other", passwordHash: null },
    });
    await recordLocalSignIn(local.id);
    assert.ok(await check(local, "manage", { platform: PLATFORM_ID }));
    assert.ok((await db.user.findUniqueOrThrow({ where: { id: local.id } })).lastSignInAt);
  });
});
