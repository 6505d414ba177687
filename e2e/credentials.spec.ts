import { AWS_EXAMPLE_PAYLOAD, cast, createCloud, expect, query, signIn, test } from "./fixtures";

test.describe("issuing a Cloud Credential", () => {
  test("pasted payload with key-values: lands on metadata only, version 1, active", async ({ page }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    await page.getByRole("link", { name: "Issue credential" }).click();

    const payload = page.getByLabel("Secret payload");
    await expect(payload).toHaveAttribute("autocomplete", "off");
    await expect(payload).toHaveAttribute("spellcheck", "false");
    await expect(payload).toHaveClass(/masked/);

    await page.getByLabel("Display name").fill("Acme AWS provisioner secret");
    await payload.fill(AWS_EXAMPLE_PAYLOAD);
    await page.getByRole("button", { name: "Add key-value" }).click();
    await page.getByLabel("Key-values (optional) row 1 key").fill("role_arn");
    await page.getByLabel("Key-values (optional) row 1 value").fill("arn:aws:iam::123456789012:role/acme");
    await expect(page.getByLabel("Key-values (optional) row 1 value")).toHaveAttribute("type", "password");
    await page.getByRole("button", { name: "Issue credential" }).click();

    await expect(page).toHaveURL(/\/credentials\/[0-9a-f-]{36}\?issued=1$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme AWS provisioner secret");
    await expect(page.getByText("it can never be shown again")).toBeVisible();
    await expect(page.getByTestId("credential-version")).toHaveText("1");
    await expect(page.getByText("active", { exact: true })).toBeVisible();
    const id = await page.getByTestId("credential-id").textContent();
    expect(page.url()).toContain(id!);
    await expect(page.getByRole("button", { name: "Copy credential id" })).toBeVisible();

    await page.goto(`/clouds/${cloud.id}`);
    const row = page.getByRole("row", { name: /Acme AWS provisioner secret/ });
    await expect(row).toContainText("active");
    await expect(row).toContainText("1");
  });

  test("payload loaded from a file", async ({ page }) => {
    await signIn(page, cast.operator);
    await createCloud(page);
    await page.getByRole("link", { name: "Issue credential" }).click();
    await page.getByLabel("Display name").fill("From a file");
    await page.getByLabel("Load from file").check();
    await page.getByLabel("Secret file").setInputFiles({
      name: "aws-provisioner.json",
      mimeType: "application/json",
      buffer: Buffer.from(AWS_EXAMPLE_PAYLOAD),
    });
    await page.getByRole("button", { name: "Issue credential" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("From a file");
    await expect(page.getByTestId("credential-version")).toHaveText("1");
  });

  test("bad input gets field messages and issues nothing", async ({ page, target }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    await page.goto(`/clouds/${cloud.id}/credentials/new`);
    const submit = page.getByRole("button", { name: "Issue credential" });

    await page.getByLabel("Display name").fill("   ");
    await submit.click();
    await expect(page.getByText("Enter a display name.")).toBeVisible();
    await expect(page.getByText("Paste the secret payload.")).toBeVisible();

    await page.getByLabel("Display name").fill("Too big");
    await page.getByLabel("Secret payload").fill("x".repeat(4097));
    await submit.click();
    await expect(page.getByText("The payload is 4097 bytes; the limit is 4096.")).toBeVisible();

    await page.getByLabel("Secret payload").fill("ok");
    await page.getByRole("button", { name: "Add key-value" }).click();
    await page.getByLabel("Key-values (optional) row 1 key").fill("bad key");
    await submit.click();
    await expect(page.getByText("Keys are 1–128 letters, digits, dots, dashes or underscores.")).toBeVisible();
    await expect(page.getByText("Enter a value or remove the row.")).toBeVisible();
    await page.getByRole("button", { name: "Remove row 1" }).click();

    await page.getByLabel("Load from file").check();
    await page.getByLabel("Secret file").setInputFiles({ name: "empty.json", mimeType: "application/json", buffer: Buffer.alloc(0) });
    await submit.click();
    await expect(page.getByText("The file is empty.")).toBeVisible();
    await expect(page).toHaveURL(/\/credentials\/new$/);

    const [{ count }] = await query<{ count: string }>(target, "SELECT count(*) FROM cloud_credentials WHERE cloud_id = $1", [cloud.id]);
    expect(Number(count)).toBe(0);
  });

  test("until the form's own code has arrived it is shown but disabled, so nothing typed is lost or sent by the browser itself", async ({
    page,
  }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    const path = `/clouds/${cloud.id}/credentials/new`;
    // The scripts the page's HTML names load at once; anything fetched later (the form's code) is held back.
    const html = await (await page.request.get(path)).text();
    const named = new Set([...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => new URL(m[1], page.url()).pathname));
    let held = 0;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/_next/static/chunks/**", async (route) => {
      const pathname = new URL(route.request().url()).pathname;
      if (pathname.endsWith(".js") && !named.has(pathname)) {
        held += 1;
        await released;
      }
      await route.continue();
    });

    // Not until "load", which waits for the held script too.
    await page.goto(path, { waitUntil: "domcontentloaded" });
    await expect.poll(() => held).toBeGreaterThan(0);
    await expect(page.getByLabel("Display name")).toBeDisabled();
    await expect(page.getByLabel("Secret payload")).toBeDisabled();
    await expect(page.getByRole("button", { name: "Issue credential" })).toBeDisabled();

    release();
    await page.getByLabel("Display name").fill("Typed once the form is ready");
    await page.getByRole("button", { name: "Issue credential" }).click();
    await expect(page.getByText("Paste the secret payload.")).toBeVisible();
    await expect(page.getByLabel("Display name")).toHaveValue("Typed once the form is ready");
  });
});

test.describe("a viewer", () => {
  test("sees no Cloud they were not given, cannot create one, and cannot reach the issue form", async ({ page, browser }) => {
    const operatorPage = await (await browser.newContext()).newPage();
    await signIn(operatorPage, cast.operator);
    const cloud = await createCloud(operatorPage);

    await signIn(page, cast.viewer);
    await expect(page.getByRole("link", { name: "New Cloud" })).toHaveCount(0);
    await page.goto(`/clouds?q=${cloud.slug}`);
    await expect(page.getByText("No Cloud matches this filter.")).toBeVisible();

    for (const path of [`/clouds/${cloud.id}`, `/clouds/${cloud.id}/credentials/new`, "/clouds/new"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
      await expect(page.getByText(cloud.slug)).toHaveCount(0);
    }
  });
});
