import { request as playwrightRequest, type APIRequestContext, type APIResponse, type BrowserContext } from "@playwright/test";
import { cast, expect, signIn, test } from "./fixtures";

/** A cookie jar as one Cookie header, the way an attacker who copied it would send it. */
async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

async function whoamiWith(request: APIRequestContext, cookie: string) {
  return request.get("/v1/auth/whoami", { headers: { cookie } });
}

test.describe("signing out ends the session on the server", () => {
  test("a cookie copied before the console's Sign out stops working for the API and the pages", async ({
    page,
    browser,
    request,
    baseURL,
  }) => {
    await signIn(page, cast.viewer);
    const copied = await cookieHeader(page.context());
    const copiedJar = await page.context().cookies();
    expect((await whoamiWith(request, copied)).status()).toBe(200);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);

    expect((await whoamiWith(request, copied)).status()).toBe(401);
    const elsewhere = await browser.newContext({ baseURL });
    await elsewhere.addCookies(copiedJar);
    const thief = await elsewhere.newPage();
    await thief.goto("/clouds");
    await expect(thief).toHaveURL(/\/login/);
    await elsewhere.close();
  });

  test("a cookie copied before DELETE /v1/auth/whoami stops working, and both cookie names are cleared", async ({ page, request }) => {
    await signIn(page, cast.viewer);
    const copied = await cookieHeader(page.context());
    const signOut = await page.request.delete("/v1/auth/whoami");
    expect(signOut.status()).toBe(204);
    const cleared = signOut
      .headersArray()
      .filter((h) => h.name.toLowerCase() === "set-cookie")
      .map((h) => h.value);
    expect(cleared.some((c) => c.startsWith("next-auth.session-token=;") && /Max-Age=0/.test(c))).toBe(true);
    expect(cleared.some((c) => c.startsWith("__Secure-next-auth.session-token=;") && /Max-Age=0/.test(c) && /Secure/.test(c))).toBe(true);
    expect((await whoamiWith(request, copied)).status()).toBe(401);
  });
});

test.describe("sign-in throttling", () => {
  test("guessing one account's password: 429 with Retry-After after the limit, and the form says how long to wait", async ({
    page,
    request,
  }) => {
    // An account that does not exist is throttled exactly like one that does, so this needs no fixture user.
    const email = `guess-${Math.random().toString(36).slice(2)}@example.com`;
    const statuses: number[] = [];
    let last: APIResponse | undefined;
    for (let i = 0; i < 12; i++) {
      const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
      last = await request.post("/api/auth/callback/credentials", {
        form: { email, password: `guess ${i}`, csrfToken, json: "true" },
        maxRedirects: 0,
      });
      statuses.push(last.status());
    }
    expect(statuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(last!.headers()["content-type"]).toMatch(/problem\+json/);
    expect(Number(last!.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await last!.json()).code).toBe("sign_in_throttled");

    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("one more guess");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(/^Too many attempts\. Try again in \d+ minutes?\.$/)).toBeVisible();
    await expect(page).toHaveURL(/\/login/);

    // Another account from the same browser signs in as usual.
    await signIn(page, cast.viewer);
  });
});

test.describe("server actions only run for the console's own pages", () => {
  test("a replayed action with no Origin, or a foreign one, does nothing; the same replay from the console's origin works", async ({
    page,
    baseURL,
  }) => {
    await signIn(page, cast.owner);
    await page.goto("/settings/tokens");
    await page.getByLabel("Name").fill("replayed");
    const captured = page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
    await page.getByRole("button", { name: "Create token" }).click();
    const action = await captured;
    await expect(page.getByTestId("new-token")).toBeVisible();

    const cookie = await cookieHeader(page.context());
    const headers = Object.fromEntries(
      Object.entries(action.headers()).filter(
        ([name]) => !["origin", "referer", "cookie", "content-length", "host"].includes(name) && !name.startsWith("sec-"),
      ),
    );
    const tokenCount = async () => ((await (await page.request.get("/v1/auth/tokens")).json()) as unknown[]).length;
    const before = await tokenCount();

    const replay = await playwrightRequest.newContext({ baseURL });
    const replayWith = (extra: Record<string, string>) =>
      replay.post(new URL(action.url()).pathname, {
        headers: { ...headers, cookie, ...extra },
        data: action.postData() ?? "",
        maxRedirects: 0,
      });

    const noOrigin = await replayWith({});
    expect(noOrigin.status()).toBeGreaterThanOrEqual(400);
    expect(await tokenCount()).toBe(before);

    const crossSite = await replayWith({ origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(crossSite.ok()).toBe(false);
    expect(await tokenCount()).toBe(before);

    const sameOrigin = await replayWith({ origin: new URL(baseURL!).origin, "sec-fetch-site": "same-origin" });
    expect(sameOrigin.ok()).toBe(true);
    expect(await tokenCount()).toBe(before + 1);
    await replay.dispose();
  });
});
