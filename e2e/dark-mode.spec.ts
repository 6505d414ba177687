import { cast, expect, signIn, test } from "./fixtures";
import { backgroundLightness } from "./pages";

/** Dark mode follows the system until someone picks a scheme in the navigation; the pick survives a reload. */
/** "dark" or "light", by the body's background. */
const background = async (page: import("@playwright/test").Page) => ((await backgroundLightness(page)) < 0.2 ? "dark" : "light");
const DARK = "dark";
const LIGHT = "light";

test("without a choice the console follows the system's colour scheme", async ({ page }) => {
  await signIn(page, cast.viewer);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => background(page)).toBe(DARK);
  await expect(page.getByRole("radio", { name: "System" })).toBeChecked();
  await page.emulateMedia({ colorScheme: "light" });
  await expect.poll(() => background(page)).toBe(LIGHT);
});

test("the scheme picked in the navigation is remembered, rendered by the server, and System hands back to the OS", async ({ page }) => {
  const cspErrors: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
  });
  await page.emulateMedia({ colorScheme: "light" });
  await signIn(page, cast.viewer);
  await expect.poll(() => background(page)).toBe(LIGHT);

  await page.getByRole("radio", { name: "Dark" }).check();
  await expect.poll(() => background(page)).toBe(DARK);

  // A reload paints dark from the first byte: the server puts the class on <html>, no script needed.
  const response = await page.reload();
  expect(await response!.text()).toMatch(/<html[^>]*class="[^"]*\bdark\b/);
  await expect(page.getByRole("radio", { name: "Dark" })).toBeChecked();
  expect(await background(page)).toBe(DARK);

  // Light wins over a dark system, too.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByRole("radio", { name: "Light" }).check();
  await expect.poll(() => background(page)).toBe(LIGHT);
  await page.reload();
  expect(await background(page)).toBe(LIGHT);

  // Back to System: the OS (dark here) decides again, and the choice is forgotten.
  await page.getByRole("radio", { name: "System" }).check();
  await expect.poll(() => background(page)).toBe(DARK);
  const reloaded = await page.reload();
  expect(await reloaded!.text()).not.toMatch(/<html[^>]*class="[^"]*\b(dark|light)\b/);
  expect((await page.context().cookies()).some((c) => c.name === "plexsphere_theme")).toBe(false);
  expect(cspErrors).toEqual([]);
});
