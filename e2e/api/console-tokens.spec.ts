import { cast, expect, signIn, test } from "../fixtures";

test("Settings → API tokens: a token is shown once, works against /v1, and stops working when revoked", async ({ page, request }) => {
  await signIn(page, cast.owner);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API tokens");
  await page.getByLabel("Environment").selectOption("stage");
  await page.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^psk_stage_[A-Za-z0-9_-]{43}$/);
  const plaintext = (await shown.textContent())!;
  await expect(page.getByRole("button", { name: "Copy token" })).toBeVisible();

  const whoami = await request.get("/v1/auth/whoami", { headers: { authorization: `Bearer ${plaintext}` } });
  expect(whoami.status()).toBe(200);
  expect((await whoami.json()).email).toBe(cast.owner);

  // Shown once: a reload lists the token without its plaintext.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(plaintext.slice(10));
  const row = page.locator("tr", { hasText: "psk_stage_…" }).first();
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.locator("tr", { hasText: "psk_stage_…" })).toHaveCount(0);
  expect((await request.get("/v1/auth/whoami", { headers: { authorization: `Bearer ${plaintext}` } })).status()).toBe(401);
});

test("DELETE /v1/auth/whoami signs the browser out, and /v1 itself is a 404 problem", async ({ page, request }) => {
  await signIn(page, cast.viewer);
  const response = await page.request.delete("/v1/auth/whoami");
  expect(response.status()).toBe(204);
  await page.goto("/clouds");
  await expect(page).toHaveURL(/\/login/);
  const bare = await request.get("/v1");
  expect(bare.status()).toBe(404);
  expect(bare.headers()["content-type"]).toMatch(/problem\+json/);
});
