import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { hash } from "@node-rs/argon2";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expectConforms, loadOurOpenApi } from "./api/contract";
import { csrfHeaders, seededCaller } from "./api/callers";
import { DEMO_PASSWORD, expect, query, signIn, test, type Target } from "./fixtures";

/**
 * Settings → Sessions and the audit chain's verdict, as people use them:
 * one person signed in from two browsers (two contexts), ending one from
 * the other, then everything over /v1; and an administrator verifying the
 * audit trail before and after someone edits it behind the database's back.
 */

/** A fresh person with the demo password, so ending "all their sessions" touches no one else's test. */
async function seedPerson(target: Target, label: string, options: { platformAdmin?: boolean } = {}) {
  const id = randomUUID();
  const email = `${label}-${id.slice(0, 8)}@example.com`;
  const passwordHash = await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  await query(target, `INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4)`, [
    id,
    email,
    label,
    passwordHash,
  ]);
  if (options.platformAdmin) {
    await query(
      target,
      `INSERT INTO relation_tuples (id, object_type, object_id, relation, subject_type, subject_id) VALUES ($1, 'platform', 'plexsphere',
      'manage', 'user', $2)`,
      [randomUUID(), id],
    );
  }
  return { id, email };
}

async function browserSignedIn(
  browser: Browser,
  baseURL: string,
  email: string,
  userAgent: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, userAgent });
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

async function sessionIdOf(page: Page): Promise<string> {
  await page.goto("/settings/sessions");
  const current = page.locator('tr[data-current="true"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText("This session");
  return (await current.getAttribute("data-session-id"))!;
}

test("one person in two browsers: both sessions are listed, one signs the other out, then /v1 signs out everywhere", async ({
  browser,
  target,
}) => {
  await loadOurOpenApi(async () => (await fetch(`${target.baseURL}/v1/openapi.json`)).json());
  const person = await seedPerson(target, "two-browsers");
  const laptop = await browserSignedIn(
    browser,
    target.baseURL,
    person.email,
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  );
  const phone = await browserSignedIn(
    browser,
    target.baseURL,
    person.email,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  );
  try {
    const laptopSession = await sessionIdOf(laptop.page);
    const phoneSession = await sessionIdOf(phone.page);
    expect(laptopSession).not.toBe(phoneSession);

    // The laptop sees both: itself marked, the phone with its device, address and last seen.
    await laptop.page.reload();
    const rows = laptop.page.locator("tbody tr");
    await expect(rows).toHaveCount(2);
    const phoneRow = laptop.page.locator(`tr[data-session-id="${phoneSession}"]`);
    await expect(phoneRow).toContainText("Firefox on Windows");
    await expect(phoneRow).toContainText(/127\.0\.0\.1|::1/);
    await expect(phoneRow).toContainText("UTC");
    await expect(laptop.page.locator(`tr[data-session-id="${laptopSession}"]`)).toContainText("Chrome on Linux");
    await expect(laptop.page.locator(`tr[data-session-id="${laptopSession}"]`).getByRole("button", { name: "Sign out" })).toHaveCount(0);

    // No axe violations on the sessions page or the tokens page (the tokens table once had an empty header cell).
    for (const path of ["/settings/sessions", "/settings/tokens"]) {
      await laptop.page.goto(path);
      const results = await new AxeBuilder({ page: laptop.page })
        .withRules(["empty-table-header", "button-name", "label", "aria-dialog-name", "th-has-data-cells"])
        .analyze();
      expect(results.violations.map((v) => `${path}: ${v.id}`)).toEqual([]);
    }

    // Sign out the phone from the laptop: it asks first, and cancelling changes nothing.
    await laptop.page.goto("/settings/sessions");
    await phoneRow.getByRole("button", { name: "Sign out" }).click();
    await laptop.page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    await phone.page.goto("/settings/tokens");
    await expect(phone.page).toHaveURL(/\/settings\/tokens$/);
    await phoneRow.getByRole("button", { name: "Sign out" }).click();
    await laptop.page.getByRole("alertdialog").getByRole("button", { name: "Sign out session" }).click();
    await expect(laptop.page.locator(`tr[data-session-id="${phoneSession}"]`)).toHaveCount(0);
    await expect(laptop.page.locator("tbody tr")).toHaveCount(1);

    // The phone's next navigation lands on the sign-in page; the laptop carries on.
    await phone.page.goto("/clouds");
    await expect(phone.page).toHaveURL(/\/login/);
    await laptop.page.goto("/clouds");
    await expect(laptop.page).toHaveURL(/\/clouds$/);

    // The phone signs in again; then one global sign-out over /v1 ends both browsers.
    await signIn(phone.page, person.email);
    const request = laptop.context.request;
    const headers = await csrfHeaders(request, target.baseURL);
    // Without the CSRF header it is refused: nothing ends, and no cookie is cleared.
    const cookie = (await laptop.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const withoutCsrf = await fetch(`${target.baseURL}/v1/auth/sign-out/global`, {
      method: "POST",
      headers: { cookie, origin: headers.origin },
    });
    expect(withoutCsrf.status).toBe(403);
    expect(((await withoutCsrf.json()) as { code: string }).code).toBe("csrf_token_mismatch");
    expect(withoutCsrf.headers.getSetCookie()).toEqual([]);
    await phone.page.goto("/settings/sessions");
    await expect(phone.page.locator("tbody tr")).toHaveCount(2);
    const signedOut = await request.post("/v1/auth/sign-out/global", { headers });
    await expectConforms(signedOut, "POST /v1/auth/sign-out/global", 204);
    expect(
      signedOut
        .headersArray()
        .filter((h) => h.name.toLowerCase() === "set-cookie")
        .map((h) => h.value),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^next-auth\.session-token=;.*Max-Age=0/)]));
    for (const { page } of [laptop, phone]) {
      await page.goto("/settings/sessions");
      await expect(page).toHaveURL(/\/login/);
    }
    // Signed out, the endpoint is 401, and a refusal clears nothing (another site's post, cookieless, gets the same).
    const again = await request.post("/v1/auth/sign-out/global", { headers });
    await expectConforms(again, "POST /v1/auth/sign-out/global", 401);
    expect(again.headers()["set-cookie"]).toBeUndefined();

    const audited = await query<{ action: string; reason: string | null }>(
      target,
      `SELECT action, reason FROM audit_entries WHERE actor_id = $1 AND action IN ('auth.session_end', 'auth.sign_out_global', 'auth.sign_in') ORDER BY at, id`,
      [person.id],
    );
    expect(audited.map((e) => e.action)).toEqual([
      "auth.sign_in",
      "auth.sign_in",
      "auth.session_end",
      "auth.sign_in",
      "auth.sign_out_global",
    ]);
    expect(audited.at(-1)?.reason).toBe("user-initiated; sessions_revoked=2");
  } finally {
    await laptop.context.close();
    await phone.context.close();
  }
});

test("sign out everywhere from the sessions page ends this browser too", async ({ browser, target }) => {
  const person = await seedPerson(target, "everywhere");
  const one = await browserSignedIn(
    browser,
    target.baseURL,
    person.email,
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
  );
  const two = await browserSignedIn(browser, target.baseURL, person.email, "plexctl (linux)");
  try {
    await one.page.goto("/settings/sessions");
    await expect(one.page.locator("tbody tr")).toHaveCount(2);
    await one.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await one.page.getByRole("alertdialog").getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(one.page).toHaveURL(/\/login/);
    await two.page.goto("/clouds");
    await expect(two.page).toHaveURL(/\/login/);
  } finally {
    await one.context.close();
    await two.context.close();
  }
});

test("a bearer API token may not sign its owner out everywhere", async ({ request, target }) => {
  await loadOurOpenApi(async () => (await fetch(`${target.baseURL}/v1/openapi.json`)).json());
  const caller = await seededCaller(target, { label: "token-holder" });
  const refused = await request.post("/v1/auth/sign-out/global", { headers: caller.headers });
  const body = await expectConforms(refused, "POST /v1/auth/sign-out/global", 403);
  expect(body.code).toBe("permission_denied");
  expect(refused.headers()["set-cookie"]).toBeUndefined();
  expect((await request.get("/v1/auth/whoami", { headers: caller.headers })).status()).toBe(200);
});

test("audit chain: verify over /v1 is for platform admins; the Audit page shows the verdict, and tampering is found", async ({
  page,
  request,
  target,
}) => {
  await loadOurOpenApi(async () => (await fetch(`${target.baseURL}/v1/openapi.json`)).json());
  const admin = await seededCaller(target, { label: "auditor", platformAdmin: true });
  const domainId = (await (await request.get("/v1/auth/whoami", { headers: admin.headers })).json()).domain_id;
  const viewer = await seededCaller(target, { label: "not-auditor" });
  const path = `/v1/domains/${domainId}/audit/verify`;

  const denied = await request.post(path, { headers: viewer.headers, data: {} });
  expect((await expectConforms(denied, "POST /v1/domains/{domainId}/audit/verify", 403)).code).toBe("permission_denied");
  const otherDomain = await request.post(`/v1/domains/${randomUUID()}/audit/verify`, { headers: admin.headers, data: {} });
  expect((await expectConforms(otherDomain, "POST /v1/domains/{domainId}/audit/verify", 404)).code).toBe("domain_not_found");
  const inverted = await request.post(path, { headers: admin.headers, data: { from_seq: 9, to_seq: 3 } });
  await expectConforms(inverted, "POST /v1/domains/{domainId}/audit/verify", 400);
  const noBody = await request.post(path, { headers: admin.headers });
  const clean = await expectConforms(noBody, "POST /v1/domains/{domainId}/audit/verify", 200);
  expect(clean).toMatchObject({ ok: true, segment_from: 1 });
  expect(clean.segment_to).toBeGreaterThan(1);

  const person = await seedPerson(target, "audit-admin", { platformAdmin: true });
  await signIn(page, person.email);
  await page.goto("/audit");
  await page.getByRole("button", { name: "Verify hash chain" }).click();
  await expect(page.getByTestId("audit-chain-verdict")).toContainText("Chain intact");

  // Someone with database access rewrites this person's sign-in entry (already sealed by the verify above).
  const [entry] = await query<{ id: string; seq: string; reason: string | null }>(
    target,
    `SELECT id, seq::text AS seq, reason FROM audit_entries WHERE action = 'auth.sign_in' AND target_id = $1 AND seq IS NOT NULL ORDER BY seq LIMIT 1`,
    [person.id],
  );
  expect(entry).toBeTruthy();
  const tamper = async (reason: string | null) => {
    await query(target, "ALTER TABLE audit_entries DISABLE TRIGGER USER");
    try {
      await query(target, "UPDATE audit_entries SET reason = $2 WHERE id = $1", [entry.id, reason]);
    } finally {
      await query(target, "ALTER TABLE audit_entries ENABLE TRIGGER USER");
    }
  };
  await tamper("nothing to see here");
  try {
    await page.getByRole("button", { name: "Verify hash chain" }).click();
    await expect(page.getByTestId("audit-chain-verdict")).toContainText(`Tampering detected at entry ${entry.seq}`);
    const found = await expectConforms(
      await request.post(path, { headers: admin.headers, data: {} }),
      "POST /v1/domains/{domainId}/audit/verify",
      200,
    );
    expect(found).toMatchObject({ ok: false, divergent_seq: Number(entry.seq) });
    expect(found.expected_hash).not.toBe(found.observed_hash);
  } finally {
    await tamper(entry.reason);
  }
  await page.getByRole("button", { name: "Verify hash chain" }).click();
  await expect(page.getByTestId("audit-chain-verdict")).toContainText("Chain intact");
});
