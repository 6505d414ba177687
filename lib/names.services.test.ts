import assert from "node:assert/strict";
import { authorizePlatform } from "@/lib/authz/service";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud, parseCloudCreate, patchCloud } from "@/lib/clouds/service";
import { updateCredentialMetadata } from "@/lib/credentials/lifecycle";
import { authorizeIssue } from "@/lib/credentials/issue";
import { createGroup, renameGroup } from "@/lib/identity/group-admin";
import { acceptInvitation, issueInvitation } from "@/lib/identity/invitations";
import { createLocalUser } from "@/lib/identity/password-setup";
import { createProject } from "@/lib/projects/service";
import { issueToken } from "@/lib/tokens/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { INVISIBLES, placements } from "@/testing/invisibles";

/**
 * The one rule for names and emails (lib/names.ts) at every service that
 * stores one, whichever door (form, /v1, command line) the text came
 * through: refused as a 400 with a field message, nothing stored.
 */
before(testDatabase);
after(closeTestDatabase);

const unique = () => randomUUID().slice(0, 8);
const bytes = (s: string) => new TextEncoder().encode(s);

/** Every invisible character in `word` (placed after, inside and before it in turn), each refused by `attempt` as a 400 with a field message. */
async function refusesEvery(word: string, attempt: (text: string) => Promise<unknown>) {
  for (const [i, [label, ch]] of INVISIBLES.entries()) {
    const spots = placements(ch, word);
    {
      const text = spots[i % spots.length];
      const error = await attempt(text).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error, `${label} in ${JSON.stringify(text)} was accepted`);
      const { status, fieldErrors } = error as { status?: number; fieldErrors?: Record<string, string> };
      assert.equal(status, 400, `${label}: ${String(error)}`);
      assert.ok(fieldErrors && Object.keys(fieldErrors).length > 0, `${label}: no field message`);
    }
  }
}

describe("names and emails with invisible or reordering characters", () => {
  test("an invited email: refused, and `Owner@Example.com` in any width is the account that exists", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const local = `inv-${unique()}`;
    await refusesEvery(`${local}@example.com`, (email) => issueInvitation(admin, { email }));
    assert.equal(await db.invitation.count({ where: { email: { contains: local } } }), 0);

    const owner = await createTestUser({ label: "owner" });
    const [user, domain] = owner.email.split("@");
    const fullwidth = Array.from(user.toUpperCase(), (c) =>
      /[A-Z0-9]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c,
    ).join("");
    for (const spelling of [owner.email.toUpperCase(), ` ${owner.email} `, `${fullwidth}@${domain}`]) {
      await assert.rejects(issueInvitation(admin, { email: spelling }), { code: "identity_already_exists" }, spelling);
    }
    const { invitation } = await issueInvitation(admin, { email: `New-${local}@Example.COM` });
    assert.equal(invitation.email, `new-${local}@example.com`);
  });

  test("a new account from the admin command: email and name refused; another spelling of a taken email is taken", async () => {
    const db = await testDatabase();
    const local = `cli-${unique()}`;
    for (const [i, [label, ch]] of INVISIBLES.entries()) {
      const [emails, names] = [placements(ch, `${local}@example.com`), placements(ch, "Ada")];
      const [email, displayName] = [emails[i % emails.length], names[i % names.length]];
      await assert.rejects(createLocalUser({ email }), { code: "invalid_email", status: 400 }, label);
      await assert.rejects(
        createLocalUser({ email: `${local}@example.com`, displayName }),
        { code: "invalid_display_name", status: 400 },
        label,
      );
    }
    assert.equal(await db.user.count({ where: { email: { contains: local } } }), 0);
    await createLocalUser({ email: `${local}@example.com`, displayName: " Ada\u00a0Lovelace " });
    assert.equal((await db.user.findUniqueOrThrow({ where: { email: `${local}@example.com` } })).displayName, "Ada Lovelace");
    await assert.rejects(createLocalUser({ email: `${local.toUpperCase()}@EXAMPLE.com` }), { code: "identity_already_exists" });
  });

  test("accepting an invitation: the name is refused and the invitation stays open", async () => {
    const db = await testDatabase();
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const { invitation, token } = await issueInvitation(admin, { email: `acc-${unique()}@example.com` });
    await refusesEvery("Grace", (displayName) => acceptInvitation(token, { displayName, password: "a long enough password" }));
    assert.equal((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).acceptedAt, null);
    await acceptInvitation(token, { displayName: "Grace Hopper", password: "a long enough password" });
  });

  test("a group's name, at creation and renaming", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    await refusesEvery("Ops", (displayName) => createGroup(admin, { slug: `g-${unique()}`, displayName, source: "manual" }));
    const group = await createGroup(admin, { slug: `g-${unique()}`, displayName: "Ops", source: "manual" });
    await refusesEvery("Ops", (displayName) => renameGroup(admin, group.id, displayName));
    assert.equal((await renameGroup(admin, group.id, "ＯＰＳ\u3000Team")).displayName, "OPS Team");
  });

  test("a Cloud's and a Project's name, whichever door", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const body = (display_name: string) => ({
      display_name,
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    await refusesEvery("Prod", (name) => Promise.resolve().then(() => parseCloudCreate(body(name))));
    await refusesEvery("Prod", (name) => createCloud(admin, { ...body(name), provider: "aws" }));
    const cloud = await createCloud(admin, { ...body("Prod"), provider: "aws" });
    await refusesEvery("Prod", (display_name) => patchCloud(admin, cloud.id, { display_name }));
    await refusesEvery("Payments", (name) => createProject(admin, { name, slug: uniqueSlug("p") }));
  });

  test("a credential's name, at issue and when renamed", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const cloud = await createCloud(admin, {
      display_name: "C",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    const issuer = await authorizeIssue(admin, cloud.id, { store });
    await refusesEvery("deploy key", (displayName) =>
      issuer.issue({ displayName, payload: bytes("secret"), keyValues: {}, allowUnusualShape: true }),
    );
    assert.equal(await db.cloudCredential.count({ where: { cloudId: cloud.id } }), 0);
    const credential = await issuer.issue({ displayName: "deploy key", payload: bytes("secret"), keyValues: {}, allowUnusualShape: true });
    await refusesEvery("deploy key", (displayName) => updateCredentialMetadata(admin, credential.id, { displayName }));
  });

  test("a token's name", async () => {
    const db = await testDatabase();
    const person = await createTestUser();
    await refusesEvery("laptop", (name) => issueToken(person, { name, envPrefix: "dev" }));
    assert.equal(await db.apiToken.count({ where: { userId: person.id } }), 0);
  });
});
