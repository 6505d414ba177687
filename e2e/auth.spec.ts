import { cast, expect, signIn, test } from "./fixtures";

test.describe("signing in", () => {
  for (const path of [
    "/",
    "/clouds",
    "/clouds/new",
    "/clouds/00000000-0000-0000-0000-000000000000",
    "/credentials/00000000-0000-0000-0000-000000000000",
  ]) {
    test(`a signed-out visitor to ${path} is sent to /login`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByRole("heading", { name: "Sign in to plexsphere" })).toBeVisible();
    });
  }

  test("a sign-in submitted before the page's scripts run never puts the password in a URL", async ({ browser }) => {
    // Enter pressed (or a password manager submitting) before hydration is the browser's own submit.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const asked: string[] = [];
    page.on("request", (request) => asked.push(request.url()));
    await page.goto("/login");
    await page.getByLabel("Email").fill(cast.operator);
    await page.getByLabel("Password").fill("password-in-no-url");
    await Promise.all([page.waitForLoadState("load"), page.getByLabel("Password").press("Enter")]);
    await page.waitForTimeout(500);
    expect(asked.length).toBeGreaterThan(1);
    for (const url of [...asked, page.url()]) expect(url).not.toContain("password-in-no-url");
    await context.close();
  });

  test("a wrong password and an unknown email get the same single message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(cast.operator);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
    await expect(page.getByLabel("Password")).toHaveValue("");

    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });

  test("the operator signs in and out", async ({ page }) => {
    await signIn(page, cast.operator);
    // On an empty console the empty state offers the same link as the header.
    await expect(page.getByRole("link", { name: "New Cloud" }).first()).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/clouds");
    await expect(page).toHaveURL(/\/login/);
  });
});
