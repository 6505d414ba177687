import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { APIRequestContext } from "@playwright/test";
import { csrfHeaders, signInWithPassword } from "./api/callers";
import { cast, DEMO_PASSWORD, expect, query, test, type Target } from "./fixtures";

/**
 * The edges of a console session, as an attacker pokes at them: where the
 * browser goes after signing in, what an ended session's cookie still gets,
 * what another site's page can make a signed-in browser do.
 */

const EVIL = "evil.example";
const RETURN_PATHS = [
  "/..//evil.example/phish",
  "/.//evil.example/phish",
  "//evil.example/phish",
  "/\\evil.example/phish",
  "/%2F%2Fevil.example/phish",
  "/%5Cevil.example/phish",
  "/%09/evil.example/phish",
  "/%2e%2e//evil.example/phish",
  "https://evil.example/phish",
  "http:evil.example",
  "javascript:alert(document.domain)",
];

/** A fresh person with the demo password, so ending all of their sessions touches no other test. */
async function seedPerson(target: Target, label: string) {
  const id = randomUUID();
  const email = `${label}-${id.slice(0, 8)}@example.com`;
  const passwordHash = await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  await query(target, `INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4)`, [
    id,
    email,
    label,
    passwordHash,
  ]);
  return { id, email };
}

async function cookieHeader(request: APIRequestContext): Promise<string> {
  return (await request.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

function setCookies(response: Response): string[] {
  return response.headers.getSetCookie();
}

/** The old cookie, sent as a copy of it would be: outside any browser's jar. */
async function sessionWith(baseURL: string, cookie: string) {
  const response = await fetch(`${baseURL}/api/auth/session`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as { user?: { email?: string } }, cookies: setCookies(response) };
}

const issuesSessionCookie = (cookies: string[]) => cookies.some((c) => /^(__Secure-)?next-auth\.session-token=[^;]+/.test(c));
const clearsSessionCookie = (cookies: string[]) => cookies.some((c) => /^(__Secure-)?next-auth\.session-token=;/.test(c));

test.describe("after signing in, the browser stays on this console", () => {
  test("signed in, /login?next= answers 307 to a path on this origin for every spelling of another one", async ({ request, target }) => {
    await signInWithPassword(request, cast.viewer);
    for (const next of RETURN_PATHS) {
      const response = await request.get(`/login?${new URLSearchParams({ next })}`, { maxRedirects: 0 });
      expect(response.status(), next).toBe(307);
      const location = response.headers()["location"] ?? "";
      expect(location, next).toBe("/clouds");
      expect(new URL(location, target.baseURL).origin, next).toBe(new URL(target.baseURL).origin);
    }
    // The same through next-auth's name for it, and a path of ours still comes through.
    const viaCallback = await request.get(`/login?${new URLSearchParams({ callbackUrl: "/..//evil.example/phish" })}`, { maxRedirects: 0 });
    expect(viaCallback.headers()["location"]).toBe("/clouds");
    const ours = await request.get(`/login?${new URLSearchParams({ next: "/credentials/expiring?from=mail" })}`, { maxRedirects: 0 });
    expect(ours.headers()["location"]).toBe("/credentials/expiring?from=mail");
  });

  test("signing in from /login?next=/..//evil.example/phish in the browser lands on this console", async ({ page, target }) => {
    // Should the browser leave, it finds a page that says so instead of a DNS error.
    await page
      .context()
      .route(`**://${EVIL}/**`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>phished</h1>" }));
    await page.goto("/login?next=/..//evil.example/phish");
    await page.getByLabel("Email").fill(cast.viewer);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${new URL(target.baseURL).origin}/clouds`);
    await expect(page.getByTestId("signed-in-as")).toHaveText(cast.viewer);
  });

  test("next-auth's callbackUrl goes through the same check: never another origin, never a path that resolves to one", async ({
    request,
    target,
  }) => {
    const origin = new URL(target.baseURL).origin;
    for (const callbackUrl of [...RETURN_PATHS, `${origin}/..//evil.example/phish`]) {
      const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
      const signedIn = await request.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: cast.viewer, password: DEMO_PASSWORD, callbackUrl, json: "true" },
        maxRedirects: 0,
      });
      expect(signedIn.status(), callbackUrl).toBe(200);
      const url = new URL((await signedIn.json()).url);
      expect(url.origin, callbackUrl).toBe(origin);
      expect(url.pathname, callbackUrl).toBe("/clouds");
    }
  });
});

test.describe("an ended session's cookie answers nothing", () => {
  test("after the console's sign-out, the old cookie gets no user and no fresh session cookie from /api/auth/session", async ({
    request,
    target,
  }) => {
    await signInWithPassword(request, cast.viewer);
    const copied = await cookieHeader(request);
    const live = await sessionWith(target.baseURL, copied);
    expect(live.body.user?.email).toBe(cast.viewer);

    const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
    const signedOut = await request.post("/api/auth/signout", {
      form: { csrfToken, callbackUrl: "/login", json: "true" },
      headers: { origin: new URL(target.baseURL).origin },
    });
    expect(signedOut.status()).toBe(200);

    for (let i = 0; i < 2; i++) {
      const replay = await sessionWith(target.baseURL, copied);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({});
      expect(issuesSessionCookie(replay.cookies)).toBe(false);
      expect(clearsSessionCookie(replay.cookies)).toBe(true);
    }
  });

  test("after signing out everywhere, every old cookie gets no user from /api/auth/session", async ({ playwright, target }) => {
    const person = await seedPerson(target, "replayed");
    const browsers = [
      await playwright.request.newContext({ baseURL: target.baseURL }),
      await playwright.request.newContext({ baseURL: target.baseURL }),
    ];
    try {
      for (const request of browsers) await signInWithPassword(request, person.email);
      const copies = await Promise.all(browsers.map(cookieHeader));
      for (const copy of copies) expect((await sessionWith(target.baseURL, copy)).body.user?.email).toBe(person.email);
      const signedOut = await browsers[0].post("/v1/auth/sign-out/global", { headers: await csrfHeaders(browsers[0], target.baseURL) });
      expect(signedOut.status()).toBe(204);
      for (const copy of copies) {
        const replay = await sessionWith(target.baseURL, copy);
        expect(replay.body).toEqual({});
        expect(issuesSessionCookie(replay.cookies)).toBe(false);
      }
    } finally {
      for (const request of browsers) await request.dispose();
    }
  });
});

test.describe("another site's page cannot sign the console's users out", () => {
  test("a cross-origin POST to /v1/auth/sign-out/global is 403 and clears nothing; the session carries on", async ({
    playwright,
    target,
  }) => {
    const person = await seedPerson(target, "cross-origin");
    const request = await playwright.request.newContext({ baseURL: target.baseURL });
    try {
      await signInWithPassword(request, person.email);
      const headers = await csrfHeaders(request, target.baseURL);
      const cookie = await cookieHeader(request);
      const attempts = [
        { ...headers, origin: `https://${EVIL}`, "sec-fetch-site": "cross-site" },
        { ...headers, origin: "null" },
        { origin: `https://${EVIL}` },
        {},
      ];
      for (const attempt of attempts) {
        const refused = await fetch(`${target.baseURL}/v1/auth/sign-out/global`, { method: "POST", headers: { ...attempt, cookie } });
        expect(refused.status, JSON.stringify(attempt)).toBe(403);
        expect(setCookies(refused), JSON.stringify(attempt)).toEqual([]);
      }
      // Not signed in at all (a cross-site post carries no SameSite cookie): 401, and still nothing cleared.
      const anonymous = await fetch(`${target.baseURL}/v1/auth/sign-out/global`, {
        method: "POST",
        headers: { origin: `https://${EVIL}` },
      });
      expect(anonymous.status).toBe(401);
      expect(setCookies(anonymous)).toEqual([]);
      expect((await request.get("/v1/auth/whoami")).status()).toBe(200);
    } finally {
      await request.dispose();
    }
  });

  test("next-auth's sign-out and DELETE /v1/auth/whoami from another origin end nothing and clear nothing", async ({
    playwright,
    target,
  }) => {
    const person = await seedPerson(target, "signout-csrf");
    const request = await playwright.request.newContext({ baseURL: target.baseURL });
    try {
      await signInWithPassword(request, person.email);
      const cookie = await cookieHeader(request);
      const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
      const forms = [new URLSearchParams({ callbackUrl: "/login" }), new URLSearchParams({ csrfToken, callbackUrl: "/login" })];
      for (const form of forms) {
        for (const origin of [`https://${EVIL}`, "null"]) {
          const refused = await fetch(`${target.baseURL}/api/auth/signout`, {
            method: "POST",
            redirect: "manual",
            headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
            body: form,
          });
          expect(clearsSessionCookie(setCookies(refused)), `${origin} ${form}`).toBe(false);
        }
      }
      // Without next-auth's CSRF token, even from our own origin, next-auth signs no one out: nothing is cleared either.
      const noToken = await fetch(`${target.baseURL}/api/auth/signout`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, origin: new URL(target.baseURL).origin, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ callbackUrl: "/login" }),
      });
      expect(clearsSessionCookie(setCookies(noToken))).toBe(false);
      const deleted = await fetch(`${target.baseURL}/v1/auth/whoami`, {
        method: "DELETE",
        headers: { cookie, origin: `https://${EVIL}`, "sec-fetch-site": "cross-site" },
      });
      expect(deleted.status).toBe(403);
      expect(setCookies(deleted)).toEqual([]);
      expect((await request.get("/v1/auth/whoami")).status()).toBe(200);
      expect((await sessionWith(target.baseURL, cookie)).body.user?.email).toBe(person.email);
    } finally {
      await request.dispose();
    }
  });
});

test("a server action posted from another origin, an opaque one or none is 403 problem+json, not Next's 500", async ({
  request,
  target,
}) => {
  await signInWithPassword(request, cast.owner);
  const cookie = await cookieHeader(request);
  // Any action id: the refusal comes before the action is looked up, so a real one and a made-up one are refused alike.
  for (const action of ["7f0000000000000000000000000000000000000000", "not-an-action"]) {
    for (const origin of [`https://${EVIL}`, "null", undefined, `http://${EVIL}:${new URL(target.baseURL).port}`]) {
      for (const path of ["/settings/tokens", "/clouds", "/login"]) {
        const response = await fetch(`${target.baseURL}${path}`, {
          method: "POST",
          headers: {
            cookie,
            "next-action": action,
            "content-type": "text/plain;charset=UTF-8",
            accept: "text/x-component",
            ...(origin ? { origin } : {}),
          },
          body: "[]",
        });
        const label = `${path} ${origin} ${action}`;
        expect(response.status, label).toBe(403);
        expect(response.headers.get("content-type"), label).toMatch(/^application\/problem\+json/);
        expect(((await response.json()) as { code: string }).code, label).toBe("csrf_origin_mismatch");
      }
    }
  }
});
