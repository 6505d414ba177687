import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { csrfHeaders } from "./api/callers";
import { cast, createCloud, expect, query, signIn, test } from "./fixtures";

test("the audit page shows denials by name, filtered from lists, denials hideable; others cannot open it", async ({ page, browser }) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page, { name: "Audited cloud" });

  const viewerPage = await (await browser.newContext()).newPage();
  await signIn(viewerPage, cast.viewer);
  await expect(viewerPage.getByRole("link", { name: "Audit" })).toHaveCount(0);
  await viewerPage.goto(`/clouds/${cloud.id}/credentials/new`);
  await expect(viewerPage.getByRole("heading", { name: "Not found" })).toBeVisible();
  await viewerPage.goto("/audit");
  await expect(viewerPage.getByRole("heading", { name: "Not found" })).toBeVisible();
  expect((await viewerPage.request.get("/audit/export?format=csv")).status()).toBe(403);

  await page.getByRole("link", { name: "Audit" }).click();
  await page.getByLabel("Cloud", { exact: true }).selectOption({ label: `Audited cloud (${cloud.slug})` });
  await page.getByRole("button", { name: "Filter" }).click();
  const denial = page.locator('tr[data-action="cloud#manage"]');
  await expect(denial).toContainText(cast.viewer);
  await expect(denial).toContainText("Manage Cloud");
  await expect(denial).toContainText("denied");
  const created = page.locator('tr[data-action="cloud.create"]');
  await expect(created).toContainText(cast.operator);
  await expect(created).toContainText("Cloud created");
  await expect(created.getByRole("link", { name: "Audited cloud" }).first()).toHaveAttribute("href", `/clouds/${cloud.id}`);

  await page.getByLabel("Hide denials").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.locator('tr[data-action="cloud.create"]')).toBeVisible();
  await expect(page.locator('tr[data-outcome="denied"]')).toHaveCount(0);

  await page.getByLabel("Hide denials").uncheck();
  await page.getByLabel("Action").selectOption({ label: "Manage Cloud" });
  await page.getByLabel("Actor").selectOption({ label: cast.viewer });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await expect(page.locator('tr[data-action="cloud#manage"]')).toContainText(cast.viewer);

  await page.goto("/audit?since=not-a-date");
  await expect(page.getByText("A filter is malformed")).toBeVisible();
});

test("the audit trail is read in pages of 50, forward and back, and exported as CSV and JSON without a secret", async ({
  page,
  browser,
  target,
}) => {
  test.setTimeout(180_000);
  await signIn(page, cast.operator);
  const cloud = await createCloud(page);
  // Shaped as an AWS secret key (40 base64 characters) so the issue form accepts it.
  const secret = `AuditExportCanary${Math.random().toString(36).slice(2)}${"x".repeat(40)}`.replace(/[^A-Za-z0-9]/g, "").slice(0, 40);
  await page.goto(`/clouds/${cloud.id}/credentials/new`);
  await page.getByLabel("Display name").fill("Exported credential");
  await page.getByLabel("Secret payload").fill(`{"access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"${secret}"}`);
  await page.getByRole("button", { name: "Issue credential" }).click();
  await expect(page).toHaveURL(/\/credentials\/[0-9a-f-]{36}\?issued=1$/);

  // 55 denials by the viewer, more than a page: each an issue under a Cloud that does not exist, refused
  // before the body is read with one cloud#manage denial (a page load would write two: the page's
  // metadata asks cloud#observe too). Flood control (lib/audit/denials.ts) keys identical denials on
  // actor, action, target and reason, which a new Cloud id each time never repeats, and counts each
  // actor's distinct denials in a 60 s window, folding those past 100 into audit.denials_aggregated.
  // Earlier specs' denials by the viewer may still be in that window, so this spec deletes the
  // windows (keys 'audit:denial-actor:<hash of the actor>'), and all 55 are written.
  await query(target, `DELETE FROM rate_limits WHERE key LIKE 'audit:denial-actor:%'`);
  const viewer = await (await browser.newContext()).newPage();
  await signIn(viewer, cast.viewer);
  const since = new Date().toISOString().slice(0, 10);
  const [{ now: loopStart }] = await query<{ now: Date }>(target, "SELECT now()");
  const headers = await csrfHeaders(viewer.request, target.baseURL);
  for (let i = 0; i < 55; i++) {
    const refused = await viewer.request.post(`/v1/clouds/${crypto.randomUUID()}/cloud-credentials`, { headers, data: {} });
    expect([refused.status(), (await refused.json()).code]).toEqual([403, "permission_denied"]);
  }

  const viewerId = await actorIdOf(page, cast.viewer);
  const filter = `/audit?actor_id=${viewerId}&action=${encodeURIComponent("cloud#manage")}&since=${since}`;
  // What the trail holds for this filter, read directly: the pages must show exactly these rows.
  const [{ n: recorded, loop }] = await query<{ n: number; loop: number }>(
    target,
    `SELECT count(*)::int AS n, (count(*) FILTER (WHERE at >= $3))::int AS loop FROM audit_entries WHERE actor_id = $1 AND action =
    'cloud#manage' AND at >= $2::date`,
    [viewerId, since, loopStart],
  );
  expect(loop, "every one of the 55 denials is written, none folded").toBe(55);
  expect(recorded).toBeGreaterThan(50);
  await page.goto(filter);
  await expect(page.locator("tbody tr")).toHaveCount(50);
  const firstPage = await page.locator("tbody tr td:last-child").allTextContents();
  await expect(page.getByRole("link", { name: "← Newer" })).toHaveCount(0);
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page).toHaveURL(/[?&]before=/);
  await expect(page.getByRole("link", { name: "← Newer" })).toBeVisible();
  const secondCount = await page.locator("tbody tr").count();
  expect(secondCount).toBe(Math.min(50, recorded - 50));
  const secondPage = await page.locator("tbody tr td:last-child").allTextContents();
  expect(secondPage.filter((c) => firstPage.includes(c))).toEqual([]);
  await page.getByRole("link", { name: "← Newer" }).click();
  await expect(page).toHaveURL(/[?&]after=/);
  await expect(page.getByRole("link", { name: "← Newer" })).toHaveCount(0);
  await expect(page.locator("tbody tr")).toHaveCount(50);
  expect(await page.locator("tbody tr td:last-child").allTextContents()).toEqual(firstPage);

  // The table scrolls sideways on narrow screens: it must be reachable by keyboard and named.
  await page.setViewportSize({ width: 390, height: 844 });
  const axe = await new AxeBuilder({ page }).withRules(["scrollable-region-focusable"]).analyze();
  expect(axe.violations).toEqual([]);
  await expect(page.getByRole("region", { name: "Audit entries" })).toHaveAttribute("tabindex", "0");
  await page.setViewportSize({ width: 1280, height: 720 });
  const html = await (await page.request.get("/audit")).text();
  expect(html.length).toBeLessThan(300 * 1024);

  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const csv = readFileSync((await csvDownload.path())!, "utf8");
  const csvRows = csv.trimEnd().split("\r\n");
  expect(csvRows[0]).toContain("actor_email");
  expect(csvRows.length - 1).toBe(50 + secondCount);
  expect(csvRows.slice(1).every((r) => r.includes(cast.viewer) && r.includes("cloud#manage"))).toBe(true);

  await page.goto(`/audit?cloud_id=${cloud.id}`);
  const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON" }).click()]);
  const jsonText = readFileSync((await jsonDownload.path())!, "utf8");
  const rows = JSON.parse(jsonText) as { action: string; target_name: string | null }[];
  expect(rows.map((r) => r.action)).toEqual(["credential.issue", "relation.grant", "cloud.create"]);
  expect(rows[0].target_name).toBe("Exported credential");
  expect(jsonText).not.toContain(secret);
  expect(csv).not.toContain(secret);
});

/** A person's id, as the Actor list offers it. */
async function actorIdOf(page: import("@playwright/test").Page, email: string): Promise<string> {
  await page.goto("/audit");
  const value = await page.getByLabel("Actor").locator("option", { hasText: email }).getAttribute("value");
  return value!;
}
