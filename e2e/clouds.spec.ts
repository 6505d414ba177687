import { cast, createCloud, expect, query, signIn, test, uniqueSlug } from "./fixtures";

test.describe("Clouds", () => {
  test("the operator creates a Cloud with endpoint metadata, finds it by filter, and can issue under it", async ({ page }) => {
    await signIn(page, cast.operator);
    const slug = uniqueSlug("acme");
    await page.goto("/clouds/new");
    await page.getByLabel("Display name").fill("Acme OpenStack");
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Provider").selectOption("openstack");
    await page.getByLabel("External id").fill(`project-${slug}`);
    await page.getByRole("button", { name: "Add entry" }).first().click();
    await page.getByLabel("Endpoint (optional) row 1 key").fill("auth_url");
    await page.getByLabel("Endpoint (optional) row 1 value").fill("https://keystone.example.com:5000/v3");
    await page.getByRole("button", { name: "Create Cloud" }).click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme OpenStack");
    await expect(page.getByText("auth_url = https://keystone.example.com:5000/v3")).toBeVisible();
    await expect(page.getByRole("link", { name: "Issue credential" })).toBeVisible();

    await page.goto(`/clouds?q=${slug}`);
    const rows = page.getByRole("row");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText(slug);
    await expect(rows.nth(1)).toContainText("openstack");
    await expect(rows.nth(1)).toContainText("0");
  });

  test("bad input gets field messages and creates nothing", async ({ page, target }) => {
    await signIn(page, cast.operator);
    const taken = await createCloud(page);

    await page.goto("/clouds/new");
    await page.getByRole("button", { name: "Create Cloud" }).click();
    await expect(page.getByText("Enter a display name.")).toBeVisible();
    await expect(page.getByText("Enter a slug.")).toBeVisible();

    await page.getByLabel("Display name").fill("Dup");
    await page.getByLabel("Slug").fill("Not_Kebab");
    await page.getByLabel("External id").fill("x");
    await page.getByRole("button", { name: "Create Cloud" }).click();
    await expect(page.getByText("Use lowercase letters and digits, separated by single hyphens.")).toBeVisible();

    // Caught by the server: the slug exists.
    await page.getByLabel("Slug").fill(taken.slug);
    await page.getByRole("button", { name: "Create Cloud" }).click();
    await expect(page.getByText("A Cloud with this slug already exists.")).toBeVisible();

    // A provider the form does not offer, as a tampered request would send.
    await page.getByLabel("Slug").fill(uniqueSlug());
    await page.getByLabel("Provider").evaluate((select: HTMLSelectElement) => {
      select.add(new Option("DigitalOcean", "digitalocean"));
      select.value = "digitalocean";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await page.getByRole("button", { name: "Create Cloud" }).click();
    await expect(page.getByText("Choose one of the supported providers.")).toBeVisible();
    await expect(page).toHaveURL(/\/clouds\/new$/);

    const [{ count }] = await query<{ count: string }>(target, `SELECT count(*) FROM clouds WHERE display_name = 'Dup'`);
    expect(Number(count)).toBe(0);
  });
});

test("sharing: the operator lets the viewer observe a Cloud, then takes it back", async ({ page, browser }) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page);
  await page.getByLabel("Share with (email)").fill(cast.viewer);
  await page.getByRole("button", { name: "Share" }).click();
  await expect(page.getByRole("button", { name: `Remove ${cast.viewer} (observer)` })).toBeVisible();

  const viewer = await (await browser.newContext()).newPage();
  await signIn(viewer, cast.viewer);
  await viewer.goto(`/clouds/${cloud.id}`);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText(`Cloud ${cloud.slug}`);
  await expect(viewer.getByRole("link", { name: "Issue credential" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Share" })).toHaveCount(0);

  await page.getByRole("button", { name: `Remove ${cast.viewer} (observer)` }).click();
  // Taking access away asks first, naming who loses what.
  const dialog = page.getByRole("alertdialog", { name: `Stop sharing with ${cast.viewer}?` });
  await dialog.getByRole("button", { name: "Stop sharing" }).click();
  await expect(page.getByRole("button", { name: `Remove ${cast.viewer} (observer)` })).toHaveCount(0);
  await viewer.reload();
  await expect(viewer.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("deleting a Cloud asks for its slug first, and one that still holds credentials is refused", async ({ page, target }) => {
  await signIn(page, cast.operator);
  const kept = await createCloud(page);
  await query(
    target,
    `INSERT INTO cloud_credentials (id, cloud_id, display_name, version, expires_at, issued_by_id, updated_at) SELECT gen_random_uuid(),
    $1::uuid, 'holds the Cloud', 1, now() + interval '30 days', id, now() FROM users WHERE email = $2`,
    [kept.id, cast.operator],
  );
  await page.getByRole("button", { name: "Delete Cloud" }).click();
  let dialog = page.getByRole("alertdialog");
  await expect(dialog.getByRole("button", { name: "Delete Cloud" })).toBeDisabled();
  await dialog.getByLabel(`Type ${kept.slug} to confirm`).fill(kept.slug);
  await dialog.getByRole("button", { name: "Delete Cloud" }).click();
  await expect(page.getByText("This Cloud still holds 1 credential")).toBeVisible();
  expect((await query(target, "SELECT 1 FROM clouds WHERE id = $1", [kept.id])).length).toBe(1);

  const empty = await createCloud(page);
  await page.getByRole("button", { name: "Delete Cloud" }).click();
  dialog = page.getByRole("alertdialog");
  // Cancelling keeps it.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect((await query(target, "SELECT 1 FROM clouds WHERE id = $1", [empty.id])).length).toBe(1);
  await page.getByRole("button", { name: "Delete Cloud" }).click();
  await page.getByRole("alertdialog").getByLabel(`Type ${empty.slug} to confirm`).fill(empty.slug);
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete Cloud" }).click();
  await expect(page).toHaveURL(/\/clouds\?deleted=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Cloud deleted." })).toBeVisible();
  expect((await query(target, "SELECT 1 FROM clouds WHERE id = $1", [empty.id])).length).toBe(0);
});

test("a Cloud manager makes payload checking strict for the API too, and back; each change is audited", async ({ page, target }) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page);
  const strict = page.getByLabel("Refuse unusual payloads over the API too");
  const saveStrictness = () => page.getByRole("button", { name: "Save payload checking" }).click();
  const stored = async () =>
    (await query<{ strict: boolean }>(target, "SELECT strict_payload_shape AS strict FROM clouds WHERE id = $1", [cloud.id]))[0].strict;
  await expect(strict).not.toBeChecked();
  await strict.check();
  await saveStrictness();
  await expect.poll(stored).toBe(true);
  await page.reload();
  await expect(strict).toBeChecked();
  await strict.uncheck();
  await saveStrictness();
  await expect.poll(stored).toBe(false);
  const entries = await query<{ reason: string }>(
    target,
    "SELECT reason FROM audit_entries WHERE cloud_id = $1 AND action = 'cloud.update' ORDER BY at",
    [cloud.id],
  );
  expect(entries.map((e) => e.reason)).toEqual(["strict payload shape check on", "strict payload shape check off"]);
});
