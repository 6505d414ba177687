import { cast, createCloud, expect, signIn, test } from "./fixtures";

/**
 * A refused form keeps what was typed, shows the server's message on the
 * field it concerns (linked to it for screen readers), and puts focus there.
 */
test("the New Project form keeps its values when the slug is taken", async ({ page }) => {
  await signIn(page, cast.operator);
  await page.goto("/projects");
  await page.getByLabel("Name").fill("Another payments");
  await page.getByLabel("Slug").fill("payments");
  await page.getByRole("button", { name: "Create Project" }).click();

  const slug = page.getByLabel("Slug");
  await expect(slug).toHaveAccessibleDescription(/A Project with this slug already exists\./);
  await expect(slug).toHaveAttribute("aria-invalid", "true");
  await expect(slug).toBeFocused();
  await expect(slug).toHaveValue("payments");
  await expect(page.getByLabel("Name")).toHaveValue("Another payments");
});

test("sharing with an unknown email keeps the email and the access picked", async ({ page }) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page);
  await page.goto(`/clouds/${cloud.id}`);
  await page.getByLabel("Share with (email)").fill("nobody-here@example.com");
  await page.getByLabel("Access", { exact: true }).selectOption("manage");
  await page.getByRole("button", { name: "Share" }).click();

  const email = page.getByLabel("Share with (email)");
  await expect(email).toHaveAccessibleDescription("No account has this email.");
  await expect(email).toBeFocused();
  await expect(email).toHaveValue("nobody-here@example.com");
  await expect(page.getByLabel("Access", { exact: true })).toHaveValue("manage");
});

test("adding an unknown member keeps the email and the role picked", async ({ page }) => {
  await signIn(page, cast.operator);
  await page.goto("/projects");
  await page.getByRole("link", { name: "Payments" }).click();
  await page.getByLabel("Email", { exact: true }).fill("nobody-here@example.com");
  await page.getByLabel("Role").selectOption("manage");
  await page.getByRole("button", { name: "Add member" }).click();

  const email = page.getByLabel("Email", { exact: true });
  await expect(email).toHaveAccessibleDescription("No account has this email.");
  await expect(email).toHaveValue("nobody-here@example.com");
  await expect(page.getByLabel("Role")).toHaveValue("manage");
});
