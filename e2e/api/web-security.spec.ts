import { Agent } from "node:http";
import { cast, createCloud, expect, signIn, test, uniqueSlug } from "../fixtures";
import { cloudBody, demoCaller } from "./callers";
import { missingSecurityHeaders, sendRaw } from "./hostile";

test.describe("web security", () => {
  test("a keep-alive client gets its 413 for a chunked 256 KiB body, and its next request on the same agent succeeds", async ({
    playwright,
    request,
    target,
  }) => {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    const operator = await demoCaller(session, target, cast.operator);
    await session.dispose();
    const cloud = await (await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug("keepalive")) })).json();
    // One socket, kept alive: the second request must travel where the oversized body did.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = Buffer.from(JSON.stringify({ display_name: "big", payload: "A".repeat(256 * 1024) }));
      const refused = await sendRaw(
        target.baseURL,
        {
          method: "POST",
          path: `/v1/clouds/${cloud.id}/cloud-credentials`,
          headers: { ...operator.headers, "content-type": "application/json" },
          body,
        },
        { agent, chunked: true },
      );
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body).code).toBe("request_body_too_large");
      for (let i = 0; i < 3; i++) {
        const next = await sendRaw(target.baseURL, { method: "GET", path: "/v1/clouds", headers: operator.headers }, { agent });
        expect(next.status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });

  test("a sign-in with X-Forwarded-Host: evil.example is not redirected to evil.example", async ({ request }) => {
    const evil = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
    const { csrfToken } = await (await request.get("/api/auth/csrf", { headers: evil })).json();
    const signedIn = await request.post("/api/auth/callback/credentials", {
      headers: evil,
      form: { csrfToken, email: cast.operator, password: "password", callbackUrl: "/clouds" },
      maxRedirects: 0,
    });
    expect(signedIn.status()).toBe(302);
    const location = signedIn.headers()["location"] ?? "";
    expect(location).not.toContain("evil.example");
    expect(new URL(location, "http://localhost").pathname).toBe("/clouds");

    const wrongPassword = await request.post("/api/auth/callback/credentials", {
      headers: evil,
      form: { csrfToken, email: cast.operator, password: "wrong", callbackUrl: "https://evil.example/phish" },
      maxRedirects: 0,
    });
    expect(wrongPassword.headers()["location"] ?? "").not.toContain("evil.example");
    const signedOut = await request.post("/api/auth/signout", {
      headers: evil,
      form: { csrfToken, callbackUrl: "/login" },
      maxRedirects: 0,
    });
    expect(signedOut.headers()["location"] ?? "").not.toContain("evil.example");
  });

  test("pages carry a nonce-based Content-Security-Policy, fresh per response, and the plain security headers", async ({ target }) => {
    const nonces = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const page = await sendRaw(target.baseURL, { method: "GET", path: "/login" });
      expect(page.status).toBe(200);
      expect(missingSecurityHeaders(page, { api: false })).toEqual([]);
      const policy = String(page.headers["content-security-policy"]);
      const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(policy)?.[1];
      expect(nonce).toBeTruthy();
      expect(policy).not.toContain("'unsafe-inline' 'nonce");
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      // Every script Next rendered carries this response's nonce.
      const scripts = [...page.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(2);
    const api = await sendRaw(target.baseURL, { method: "GET", path: "/v1/health" });
    expect(missingSecurityHeaders(api, { api: true })).toEqual([]);
  });

  test("the console works under its Content-Security-Policy: no violation while signing in, creating a Cloud and signing out", async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on("pageerror", (error) => violations.push(error.message));
    await signIn(page, cast.operator);
    await createCloud(page);
    await page.goto("/clouds");
    await page.goto("/settings/tokens");
    await page.goto("/audit");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    expect(violations).toEqual([]);
  });
});
