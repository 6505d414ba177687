import { randomUUID } from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import { startDiscoveryServer } from "../testing/discovery-server";
import { TEST_OIDC_CLIENT, testAccounts, type TestClaims } from "../testing/oidc-accounts";
import { cloudBody, csrfHeaders, demoCaller, seededCaller, type Caller } from "./api/callers";
import { cast, expect, query, test, type Target } from "./fixtures";

/**
 * Single sign-on against a real OpenID Provider (testing/oidc-provider.ts,
 * started by scripts/test-e2e.mjs): Chromium goes through the provider's
 * own login and consent pages, and the console runs the authorization code
 * flow with PKCE, state and nonce.
 */
const issuer = process.env.E2E_OIDC_ISSUER ?? "";
const ALIAS = "corp-sso";

test.beforeAll(() => {
  if (!issuer) throw new Error("E2E_OIDC_ISSUER is not set: run through scripts/test-e2e.mjs");
});

async function setClaims(login: string, claims: Partial<TestClaims>) {
  const response = await fetch(`${issuer}/__test/accounts/${login}`, {
    method: "PUT",
    body: JSON.stringify({ ...testAccounts()[login], ...claims }),
  });
  expect(response.status).toBe(204);
}

/** The binding every test signs in through, as an administrator adds it over the API (idempotent per target database). */
async function ensureBinding(request: APIRequestContext, admin: Caller): Promise<{ id: string }> {
  const list = await request.get("/v1/admin/idp", { headers: admin.headers });
  expect(list.status()).toBe(200);
  const existing = ((await list.json()) as { id: string; alias: string }[]).find((b) => b.alias === ALIAS);
  const binding =
    existing ??
    (await (
      await request.post("/v1/admin/idp", {
        headers: admin.headers,
        data: {
          domain_id: "00000000-0000-7000-8000-000000000001",
          issuer,
          client_id: TEST_OIDC_CLIENT.clientId,
          client_secret: TEST_OIDC_CLIENT.clientSecret,
          scopes: ["openid", "email", "profile", "groups"],
          jit_policy: "allow",
          alias: ALIAS,
        },
      })
    ).json());
  // Each test starts from an active binding that admits anyone verified.
  await request.patch(`/v1/admin/idp/${binding.id}/status`, { headers: admin.headers, data: { status: "active" } });
  const reset = await request.patch(`/v1/admin/idp/${binding.id}`, { headers: admin.headers, data: { jit_policy: "allow" } });
  expect(reset.status()).toBe(200);
  return binding;
}

/** Through the console's button, then the provider's own login and consent pages. */
async function signInAt(page: Page, login: string) {
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("button", { name: `Continue with ${ALIAS}` }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password works here");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

async function admin(request: APIRequestContext, target: Target) {
  return demoCaller(request, target, cast.operator);
}

test.describe("single sign-on through an OpenID provider", () => {
  test("a first sign-in creates the person and the groups claim puts them in mapped groups; the next sign-in updates both", async ({
    page,
    request,
    target,
  }) => {
    const binding = await ensureBinding(request, await admin(request, target));
    const [ops, dev] = [randomUUID(), randomUUID()];
    for (const [id, value] of [
      [ops, "platform-ops"],
      [dev, "developers"],
    ]) {
      await query(
        target,
        `INSERT INTO groups (id, slug, display_name, source, idp_binding_id, idp_claim_value) VALUES ($1, $2, $2, 'idp', $3, $4) ON CONFLICT DO NOTHING`,
        [id, `${value}-${id.slice(0, 6)}`, binding.id, value],
      );
    }
    const groupIds = async (email: string) =>
      (
        await query<{ value: string }>(
          target,
          `SELECT g.idp_claim_value AS value FROM group_members m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id WHERE
          u.email = $1 ORDER BY 1`,
          [email],
        )
      ).map((r) => r.value);

    const email = "ada@corp.example";
    await setClaims("ada", { groups: ["platform-ops", "unmapped"] });
    await signInAt(page, "ada");
    await expect(page).toHaveURL(/\/clouds$/);
    await expect(page.getByTestId("signed-in-as")).toHaveText(email);
    const [user] = await query<{ id: string; external_subject: string; idp_binding_id: string; password_hash: string | null }>(
      target,
      "SELECT id, external_subject, idp_binding_id, password_hash FROM users WHERE email = $1",
      [email],
    );
    expect(user).toMatchObject({ external_subject: "ada", idp_binding_id: binding.id, password_hash: null });
    expect(await groupIds(email)).toEqual(["platform-ops"]);

    await setClaims("ada", { name: "Ada King", groups: ["developers"] });
    await signInAt(page, "ada");
    await expect(page).toHaveURL(/\/clouds$/);
    expect(await groupIds(email)).toEqual(["developers"]);
    const [again] = await query<{ id: string; display_name: string }>(target, "SELECT id, display_name FROM users WHERE email = $1", [
      email,
    ]);
    expect(again).toEqual({ id: user.id, display_name: "Ada King" });
    const audit = await query<{ action: string; reason: string | null }>(
      target,
      "SELECT action, reason FROM audit_entries WHERE actor_id = $1 ORDER BY at, id",
      [user.id],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["user.jit_create", "auth.sign_in", "group.member_add", "group.member_remove"]),
    );
    // The membership actions an administrator's change writes too; the reason says it was this sign-in's sync.
    for (const change of audit.filter((a) => a.action.startsWith("group.member_")))
      expect(change.reason).toBe(`user ${user.id}; IdP sign-in sync of ${ALIAS}`);
  });

  test("an invitee opens the link and signs in with the SSO button on the invitation page: the invitation is accepted and its staged group granted", async ({
    browser,
    request,
    target,
  }) => {
    const caller = await admin(request, target);
    await ensureBinding(request, caller);
    const domainId = "00000000-0000-7000-8000-000000000001";
    const slug = `staged-${randomUUID().slice(0, 8)}`;
    const created = await request.post("/v1/admin/groups", {
      headers: caller.headers,
      data: { domain_id: domainId, slug, display_name: "Staged team", source: "manual" },
    });
    expect(created.status()).toBe(201);
    const group = (await created.json()) as { id: string };
    // A person the provider knows and the console does not, yet.
    const login = `bob${Array.from(randomUUID().replace(/[^a-f]/g, ""))
      .slice(0, 8)
      .join("")}`;
    const email = `${login}@corp.example`;
    const claims = await fetch(`${issuer}/__test/accounts/${login}`, {
      method: "PUT",
      body: JSON.stringify({ sub: login, email, email_verified: true, name: "Bob Builder", groups: [] }),
    });
    expect(claims.status).toBe(204);
    const invited = await request.post(`/v1/domains/${domainId}/invitations`, {
      headers: caller.headers,
      data: { external_subject: email, ttl_seconds: 3600, initial_tuples: [{ relation: "member", object: `group:${group.id}` }] },
    });
    expect(invited.status()).toBe(201);
    const invitation = (await invited.json()) as { id: string; invitation_url: string };

    const context = await browser.newContext({ baseURL: target.baseURL });
    const bob = await context.newPage();
    await bob.goto(new URL(invitation.invitation_url).pathname);
    await expect(bob.getByText(email)).toBeVisible();
    // Both ways in: the provider's button, and (local login is on) a name and a password.
    await expect(bob.getByLabel("Password")).toBeVisible();
    await bob.getByRole("button", { name: `Continue with ${ALIAS}` }).click();
    await bob.locator('input[name="login"]').fill(login);
    await bob.locator('input[name="password"]').fill("any password works here");
    await bob.getByRole("button", { name: "Sign-in" }).click();
    await bob.getByRole("button", { name: "Continue" }).click();
    await expect(bob).toHaveURL(/\/clouds$/);
    await expect(bob.getByTestId("signed-in-as")).toHaveText(email);

    const read = await request.get(`/v1/domains/${domainId}/invitations/${invitation.id}`, { headers: caller.headers });
    expect(await read.json()).toMatchObject({ status: "accepted" });
    const bobId = ((await (await bob.request.get("/v1/auth/whoami")).json()) as { subject: string }).subject;
    const members = (await (await request.get(`/v1/admin/groups/${group.id}/members`, { headers: caller.headers })).json()) as {
      items: { principal_id: string }[];
    };
    expect(members.items.map((m) => m.principal_id)).toEqual([bobId]);
    // And the link has been used.
    await bob.goto(new URL(invitation.invitation_url).pathname);
    await expect(bob.getByText("This invitation link has")).toContainText("used already");
    await context.close();
  });

  test("a JIT policy that refuses the person shows one clear message, audits it and creates nobody", async ({ page, request, target }) => {
    const caller = await admin(request, target);
    const binding = await ensureBinding(request, caller);
    const patched = await request.patch(`/v1/admin/idp/${binding.id}`, {
      headers: caller.headers,
      data: { jit_policy: { mode: "domains", domains: ["corp.example"] } },
    });
    expect(patched.status()).toBe(200);
    await signInAt(page, "grace");
    await expect(page).toHaveURL(/\/login\?/);
    await expect(page.getByRole("alert").filter({ hasText: /do not have an account here yet/ })).toBeVisible();
    expect(await query(target, "SELECT 1 FROM users WHERE email = 'grace@partner.example'")).toHaveLength(0);
    const denied = await query<{ reason: string }>(
      target,
      "SELECT reason FROM audit_entries WHERE action = 'auth.sign_in' AND outcome = 'denied' AND target_id = $1",
      [binding.id],
    );
    expect(denied.map((d) => d.reason)).toContainEqual(expect.stringContaining("jit_refused for grace@partner.example via corp-sso"));
  });

  test("an unverified email is refused with its own message", async ({ page, request, target }) => {
    await ensureBinding(request, await admin(request, target));
    await signInAt(page, "mallory");
    await expect(page.getByRole("alert").filter({ hasText: /has not verified your email address/ })).toBeVisible();
    expect(await query(target, "SELECT 1 FROM users WHERE email = 'mallory@corp.example'")).toHaveLength(0);
  });

  test("an inactive binding is not offered, and a sign-in that was already under way is refused", async ({ page, request, target }) => {
    const caller = await admin(request, target);
    const binding = await ensureBinding(request, caller);
    await page.context().clearCookies();
    await page.goto("/login");
    await page.getByRole("button", { name: `Continue with ${ALIAS}` }).click();
    await page.locator('input[name="login"]').fill("ada");
    // Deactivated while the person is at the provider.
    expect(
      (await request.patch(`/v1/admin/idp/${binding.id}/status`, { headers: caller.headers, data: { status: "deactivated" } })).status(),
    ).toBe(200);
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /not available any more/ })).toBeVisible();
    await expect(page.getByRole("button", { name: `Continue with ${ALIAS}` })).toHaveCount(0);
    const chooser = await request.get("/v1/auth/idp-bindings?domain_id=00000000-0000-7000-8000-000000000001");
    expect(((await chooser.json()) as { alias: string }[]).map((b) => b.alias)).not.toContain(ALIAS);
    await request.patch(`/v1/admin/idp/${binding.id}/status`, { headers: caller.headers, data: { status: "active" } });
  });
});

test.describe("/v1/admin/idp", () => {
  test("only platform admins reach it, and the client secret never comes back", async ({ request, target }) => {
    const caller = await admin(request, target);
    const stranger = await seededCaller(target, { label: "not-admin" });
    const secret = `e2e-secret-${randomUUID()}`;
    // Saving fetches the provider's discovery document: a real one, on loopback (private addresses are fine for IdPs).
    const idps = await startDiscoveryServer();
    const body = {
      domain_id: "00000000-0000-7000-8000-000000000001",
      issuer: idps.issuer(`idp-${randomUUID().slice(0, 8)}`),
      client_id: "c",
      client_secret: secret,
      jit_policy: { mode: "invited" },
    };
    // Refused before the body is read: even an invalid body gets 403.
    for (const response of [
      await request.get("/v1/admin/idp", { headers: stranger.headers }),
      await request.post("/v1/admin/idp", { headers: stranger.headers, data: body }),
      await request.post("/v1/admin/idp", { headers: stranger.headers, data: { nonsense: true } }),
      await request.get("/v1/admin/platform-idp", { headers: stranger.headers }),
    ]) {
      expect(response.status()).toBe(403);
      expect((await response.json()).code).toBe("permission_denied");
    }
    const created = await request.post("/v1/admin/idp", { headers: caller.headers, data: body });
    expect(created.status()).toBe(201);
    const binding = await created.json();
    expect(binding).toMatchObject({
      jit_policy: { mode: "invited" },
      status: "active",
      primary: false,
      client_secret_ref: expect.stringMatching(/^plexsphere\/idp-bindings\//),
    });
    expect((await request.patch(`/v1/admin/idp/${binding.id}`, { headers: stranger.headers, data: { alias: "x" } })).status()).toBe(403);
    expect((await request.delete(`/v1/admin/idp/${binding.id}`, { headers: stranger.headers })).status()).toBe(403);
    for (const response of [
      created,
      await request.get(`/v1/admin/idp/${binding.id}`, { headers: caller.headers }),
      await request.get("/v1/admin/idp", { headers: caller.headers }),
      await request.patch(`/v1/admin/idp/${binding.id}`, { headers: caller.headers, data: { client_secret: `${secret}-2` } }),
      await request.get("/v1/auth/idp-bindings?domain_id=00000000-0000-7000-8000-000000000001"),
    ]) {
      expect(await response.text()).not.toContain(secret);
    }
    const bad = await request.post("/v1/admin/idp", { headers: caller.headers, data: { ...body, jit_policy: "sometimes" } });
    expect([bad.status(), (await bad.json()).code]).toEqual([400, "invalid_jit_policy"]);
    const dup = await request.post("/v1/admin/idp", { headers: caller.headers, data: { ...body, alias: binding.alias } });
    expect([dup.status(), (await dup.json()).code]).toEqual([409, "binding_conflict"]);
    expect((await request.delete(`/v1/admin/idp/${binding.id}`, { headers: caller.headers })).status()).toBe(204);
    expect((await request.get(`/v1/admin/idp/${binding.id}`, { headers: caller.headers })).status()).toBe(404);
    // A provider whose discovery cannot be fetched is refused when saved (400 naming the problem), not discovered at sign-in.
    await idps.stop();
    const undiscoverable = await request.post("/v1/admin/idp", {
      headers: caller.headers,
      data: { ...body, alias: `gone-${randomUUID().slice(0, 8)}` },
    });
    expect(undiscoverable.status()).toBe(400);
    const problem = await undiscoverable.text();
    expect(JSON.parse(problem)).toMatchObject({ code: "discovery_failed" });
    expect(problem).not.toContain(secret);
  });
});

test("starting a sign-in uses the discovery document cached when the binding was saved: with the IdP down it still reaches the authorization URL", async ({
  playwright,
  request,
  target,
}) => {
  const caller = await admin(request, target);
  const idps = await startDiscoveryServer();
  const alias = `cached-${randomUUID().slice(0, 8)}`;
  const issuerUrl = idps.issuer(alias);
  const created = await request.post("/v1/admin/idp", {
    headers: caller.headers,
    data: {
      domain_id: "00000000-0000-7000-8000-000000000001",
      issuer: issuerUrl,
      client_id: "cached-client",
      client_secret: `s-${randomUUID()}`,
      jit_policy: "deny",
      alias,
    },
  });
  expect(created.status()).toBe(201);
  const binding = await created.json();
  expect(idps.requests).toEqual([`/${alias}/.well-known/openid-configuration`]);
  // The IdP's discovery is gone: an unauthenticated sign-in start that fetched it would fail.
  await idps.stop();
  try {
    const browser = await playwright.request.newContext({ baseURL: target.baseURL });
    const { csrfToken } = await (await browser.get("/api/auth/csrf")).json();
    const started = await browser.post(`/api/auth/signin/${alias}`, {
      form: { csrfToken, callbackUrl: `${target.baseURL}/` },
      maxRedirects: 0,
    });
    expect(started.status()).toBe(302);
    const location = new URL(started.headers().location ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${issuerUrl}/authorize`);
    expect(location.searchParams.get("client_id")).toBe("cached-client");
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    await browser.dispose();
  } finally {
    await request.delete(`/v1/admin/idp/${binding.id}`, { headers: caller.headers });
  }
});

test.describe("Settings → Identity providers and PLATFORM_ADMIN_EMAILS", () => {
  test("a person listed in PLATFORM_ADMIN_EMAILS is an administrator from their first SSO sign-in, and manages providers in the console", async ({
    page,
    request,
    target,
  }) => {
    await ensureBinding(request, await admin(request, target));
    await signInAt(page, "root");
    await expect(page.getByTestId("signed-in-as")).toHaveText("root@corp.example");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Identity providers" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Identity providers");
    await expect(page.locator(`[data-binding-alias="${ALIAS}"]`)).toContainText("Active");

    const alias = `extra-${randomUUID().slice(0, 6)}`;
    const secret = `console-secret-${randomUUID()}`;
    await page.getByLabel("Alias").last().fill(alias);
    await page.getByLabel("Issuer URL").last().fill(`https://${alias}.invalid`);
    await page.getByLabel("Client id").last().fill("console-client");
    await page.getByLabel("Client secret").last().fill(secret);
    await page.getByRole("button", { name: "Add provider" }).click();
    // Saving fetches the discovery document; one that cannot be fetched is said so, and nothing is added.
    await expect(page.getByText("Discovery failed: the discovery URL did not answer.")).toBeVisible();
    await expect(page.locator(`[data-binding-alias="${alias}"]`)).toHaveCount(0);
    const idps = await startDiscoveryServer();
    await page.getByLabel("Issuer URL").last().fill(idps.issuer(alias));
    await page.getByLabel("Client secret").last().fill(secret);
    await page.getByRole("button", { name: "Add provider" }).click();
    const row = page.locator(`[data-binding-alias="${alias}"]`);
    await expect(row).toContainText("Only invited people");
    await expect(page.getByLabel("Client secret").last()).toHaveValue("");
    expect(await page.content()).not.toContain(secret);
    expect(await query(target, "SELECT 1 FROM idp_bindings WHERE row_to_json(idp_bindings)::text LIKE $1", [`%${secret}%`])).toHaveLength(
      0,
    );

    await row.getByRole("button", { name: "Deactivate" }).click();
    await expect(row).toContainText("Inactive");
    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete provider" }).click();
    await expect(row).toHaveCount(0);
    await idps.stop();
  });
});

test.describe("an empty deployment that signs in only through SSO", () => {
  const ssoOnly = process.env.E2E_SSO_ONLY_URL ?? "";

  test(
    "with LOCAL_LOGIN=false and a provider added by npm run idp:add, the person in PLATFORM_ADMIN_EMAILS " +
      "becomes the first administrator; an IdP group owns a Project, a Cloud is shared with it, an invited " +
      "colleague signs in and gets a CLI token",
    async ({ page, request, browser }, testInfo) => {
      test.setTimeout(180_000);
      // One extra server (scripts/test-e2e.mjs), shared by both projects: its database is empty only once.
      test.skip(testInfo.project.name !== "embedded", "the SSO-only server is exercised once, from the embedded project");
      expect(ssoOnly).not.toBe("");
      await page.goto(`${ssoOnly}/login`);
      await expect(page.getByLabel("Password")).toHaveCount(0);
      // Password sign-in is refused on the server too, not only hidden.
      const { csrfToken } = await (await request.get(`${ssoOnly}/api/auth/csrf`)).json();
      await request.post(`${ssoOnly}/api/auth/callback/credentials`, {
        form: { csrfToken, email: "root@corp.example", password: "x", json: "true" },
        maxRedirects: 0,
      });
      expect((await (await request.get(`${ssoOnly}/api/auth/session`)).json()).user).toBeUndefined();

      await page.getByRole("button", { name: "Continue with corp-admin" }).click();
      await page.locator('input[name="login"]').fill("root");
      await page.locator('input[name="password"]').fill("any");
      await page.getByRole("button", { name: "Sign-in" }).click();
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page).toHaveURL(`${ssoOnly}/clouds`);
      await expect(page.getByTestId("signed-in-as")).toHaveText("root@corp.example");
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
      await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Identity providers" }).click();
      await expect(page.locator('[data-binding-alias="corp-admin"]')).toContainText("Verified emails at these domains: corp.example");
      await page.getByRole("link", { name: "Audit" }).click();
      await expect(page.locator(`tr[data-action="relation.grant"]`).first()).toContainText("Access granted");

      // The rest of the way a real deployment goes, on the same empty database: a group synced from the
      // IdP owns a Project, a Cloud is shared with that group, an invited colleague signs in through SSO
      // and lands in the group, then gets a CLI token through the device flow.
      const admin = page.request;
      const headers = await csrfHeaders(admin, ssoOnly);
      const v1 = (path: string) => `${ssoOnly}${path}`;
      const domainId = "00000000-0000-7000-8000-000000000001";
      const binding = ((await (await admin.get(v1("/v1/admin/idp"))).json()) as { id: string; alias: string }[]).find(
        (b) => b.alias === "corp-admin",
      )!;
      // Only invited people may now be created at first sign-in.
      expect((await admin.patch(v1(`/v1/admin/idp/${binding.id}`), { headers, data: { jit_policy: { mode: "invited" } } })).status()).toBe(
        200,
      );
      const groupResponse = await admin.post(v1("/v1/admin/groups"), {
        headers,
        data: {
          domain_id: domainId,
          slug: "platform-team",
          display_name: "Platform team",
          source: "idp",
          idp_binding_id: binding.id,
          idp_claim_value: "platform-ops",
        },
      });
      expect(groupResponse.status()).toBe(201);
      const group = (await groupResponse.json()) as { id: string };
      const projectResponse = await admin.post(v1("/v1/projects"), {
        headers,
        data: { domain_id: domainId, name: "Payments platform", slug: "payments-platform" },
      });
      expect(projectResponse.status()).toBe(201);
      const project = (await projectResponse.json()) as { id: string };
      const owned = await admin.post(v1(`/v1/authz/relation-tuples?project_id=${project.id}`), {
        headers,
        data: { subject: `group:${group.id}`, relation: "manage", resource: `project:${project.id}` },
      });
      expect(owned.status()).toBe(201);
      const cloudResponse = await admin.post(v1("/v1/clouds"), { headers, data: cloudBody("team-cloud") });
      expect(cloudResponse.status()).toBe(201);
      const cloud = (await cloudResponse.json()) as { id: string };
      // Shared with the group in the console.
      await page.goto(`${ssoOnly}/clouds/${cloud.id}`);
      await page.getByLabel("or with a group").selectOption({ label: "Platform team" });
      await page.getByRole("button", { name: "Share", exact: true }).click();
      await expect(page.getByRole("list", { name: "Who has access" })).toBeVisible();
      const invitation = await admin.post(v1(`/v1/domains/${domainId}/invitations`), {
        headers,
        data: { external_subject: "grace@partner.example", ttl_seconds: 3600, initial_tuples: [] },
      });
      expect(invitation.status()).toBe(201);

      // Grace is outside corp.example: the invitation is what lets her in. Her IdP puts her in platform-ops.
      const issuerUrl = process.env.E2E_OIDC_ISSUER ?? "";
      const claims = await fetch(`${issuerUrl}/__test/accounts/grace`, {
        method: "PUT",
        body: JSON.stringify({ ...testAccounts().grace, groups: ["platform-ops"] }),
      });
      expect(claims.status).toBe(204);
      const colleague = await (await browser.newContext({ baseURL: ssoOnly })).newPage();
      await colleague.goto("/login");
      await colleague.getByRole("button", { name: "Continue with corp-admin" }).click();
      await colleague.locator('input[name="login"]').fill("grace");
      await colleague.locator('input[name="password"]').fill("any");
      await colleague.getByRole("button", { name: "Sign-in" }).click();
      await colleague.getByRole("button", { name: "Continue" }).click();
      await expect(colleague.getByTestId("signed-in-as")).toHaveText("grace@partner.example");
      // Through the group: she sees the shared Cloud and owns the Project.
      await expect(colleague.getByRole("link", { name: "team-cloud", exact: true })).toBeVisible();
      const graceId = ((await (await colleague.request.get("/v1/auth/whoami")).json()) as { subject: string }).subject;
      const decides = await colleague.request.post("/v1/authz/check", {
        headers: await csrfHeaders(colleague.request, ssoOnly),
        data: { subject: `user:${graceId}`, relation: "manage", resource: `project:${project.id}` },
      });
      expect(await decides.json()).toMatchObject({ decision: "allowed" });
      await colleague.goto(`/projects/${project.id}`);
      await expect(colleague.getByRole("heading", { level: 1 })).toHaveText("Payments platform");
      await expect(colleague.getByLabel("Email")).toBeVisible(); // the owner's "add member" form
      const invitations = (await (await admin.get(v1(`/v1/domains/${domainId}/invitations?status=accepted`))).json()) as {
        items: { id: string }[];
      };
      expect(invitations.items.map((i) => i.id)).toContain(((await invitation.json()) as { id: string }).id);

      // And a CLI token through the device flow, approved by Grace in the console.
      const started = (await (await request.post(`${ssoOnly}/v1/auth/device-code`, { data: { client_id: "plexctl" } })).json()) as {
        device_code: string;
        user_code: string;
      };
      await colleague.goto(`/device?user_code=${started.user_code}`);
      await colleague.getByRole("button", { name: "Approve" }).click();
      await expect(colleague.getByTestId("device-state")).toHaveText("approved");
      const token = (await (
        await request.post(`${ssoOnly}/v1/auth/device-token`, { data: { device_code: started.device_code } })
      ).json()) as { access_token: string };
      const whoami = await request.get(`${ssoOnly}/v1/auth/whoami`, { headers: { authorization: `Bearer ${token.access_token}` } });
      expect((await whoami.json()).email).toBe("grace@partner.example");
    },
  );
});
