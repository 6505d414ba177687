import { cast, expect, signIn, test } from "../fixtures";

test("Settings → API tokens: a named token is shown once, works against /v1, records its use, and stops working when revoked", async ({
  page,
  request,
}) => {
  await signIn(page, cast.owner);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API tokens");
  // A name is required: the browser refuses the empty form, and so does the action behind it.
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  const name = `CI deploys ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Environment").selectOption("stage");
  await page.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^psk_stage_[A-Za-z0-9_-]{43}$/);
  const plaintext = (await shown.textContent())!;
  await expect(page.getByRole("button", { name: "Copy token" })).toBeVisible();

  const whoami = await request.get("/v1/auth/whoami", { headers: { authorization: `Bearer ${plaintext}` } });
  expect(whoami.status()).toBe(200);
  expect((await whoami.json()).email).toBe(cast.owner);

  // Shown once: a reload lists the token without its plaintext, by name, with who made it and when it was last used.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(plaintext.slice(10));
  const row = page.locator("tr", { hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText("by you");
  await expect(row.locator("td").nth(4)).toContainText("UTC");
  const listed = (
    (await (await request.get("/v1/auth/tokens", { headers: { authorization: `Bearer ${plaintext}` } })).json()) as {
      name: string;
      last_used_at?: string;
    }[]
  ).find((t) => t.name === name);
  expect(listed?.last_used_at).toBeTruthy();

  // Revoking asks first; cancelling keeps the token.
  await row.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(name);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect((await request.get("/v1/auth/whoami", { headers: { authorization: `Bearer ${plaintext}` } })).status()).toBe(200);
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.locator("tr", { hasText: name })).toHaveCount(0);
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
