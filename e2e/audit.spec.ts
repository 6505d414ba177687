import { cast, createCloud, expect, signIn, test } from "./fixtures";

test("the audit page shows a denial with the operator's view, filtered by Cloud; others cannot open it", async ({ page, browser }) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page);

  const viewerPage = await (await browser.newContext()).newPage();
  await signIn(viewerPage, cast.viewer);
  await expect(viewerPage.getByRole("link", { name: "Audit" })).toHaveCount(0);
  await viewerPage.goto(`/clouds/${cloud.id}/credentials/new`);
  await expect(viewerPage.getByRole("heading", { name: "Not found" })).toBeVisible();
  await viewerPage.goto("/audit");
  await expect(viewerPage.getByRole("heading", { name: "Not found" })).toBeVisible();

  await page.getByRole("link", { name: "Audit" }).click();
  await page.getByLabel("Cloud id").fill(cloud.id);
  await page.getByRole("button", { name: "Filter" }).click();
  const denial = page.locator('tr[data-action="cloud#manage"]');
  await expect(denial).toContainText(cast.viewer);
  await expect(denial).toContainText("denied");
  await expect(page.locator('tr[data-action="cloud.create"]')).toContainText(cast.operator);
  await page.getByLabel("Cloud id").fill("not-a-uuid");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("A filter is malformed")).toBeVisible();
});
