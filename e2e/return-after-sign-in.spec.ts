import { cast, DEMO_PASSWORD, expect, test } from "./fixtures";

/** Opening a console page signed out leads through sign-in and back to that page. */
test("sign-in returns to the page that was asked for, query included", async ({ page }) => {
  await page.goto("/credentials/expiring?from=mail");
  await expect(page).toHaveURL(/\/login\?next=%2Fcredentials%2Fexpiring%3Ffrom%3Dmail$/);
  await page.getByLabel("Email").fill(cast.viewer);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/credentials\/expiring\?from=mail$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Expiring soon");
  await expect(page).toHaveTitle("Expiring soon · plexsphere");
});

test("the page to return to is the one requested, never a header the client sent", async ({ request }) => {
  const response = await request.get("/clouds", { headers: { "x-plexsphere-path": "//evil.example/" }, maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers()["location"]).toBe("/login?next=%2Fclouds");
});
