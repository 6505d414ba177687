import AxeBuilder from "@axe-core/playwright";
import { cast, expect, signIn, test } from "./fixtures";
import { PUBLIC_PAGES, backgroundLightness, openPage, seedConsole, signedInPages, type ConsolePage } from "./pages";

/**
 * axe on every page of the console, in the light and the dark scheme (as
 * the system reports it), with no violation allowed: contrast, names,
 * landmarks, tables, focusable scrolling regions.
 */
const SCHEMES = ["light", "dark"] as const;

async function violationsOn(page: import("@playwright/test").Page, pages: ConsolePage[]) {
  const found: string[] = [];
  for (const { name, path } of pages) {
    await openPage(page, path);
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
    for (const violation of result.violations) {
      found.push(
        `${name} (${path}): ${violation.id} — ${violation.help}\n    ${violation.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 5)
          .join("\n    ")}`,
      );
    }
  }
  return found;
}

for (const colorScheme of SCHEMES) {
  test(`axe finds nothing on any page in the ${colorScheme} scheme`, async ({ page, browser, target }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme });
    const seed = await seedConsole(browser, target);

    const signedOut = await violationsOn(page, PUBLIC_PAGES);
    await signIn(page, cast.operator);
    const signedIn = await violationsOn(page, signedInPages(seed));
    // The scheme really applied: the page background follows it.
    const lightness = await backgroundLightness(page);
    expect(colorScheme === "dark" ? lightness < 0.2 : lightness > 0.9, `background lightness ${lightness}`).toBe(true);
    expect([...signedOut, ...signedIn], [...signedOut, ...signedIn].join("\n")).toEqual([]);
  });
}

test("an open dialog and the phone menu pass axe too", async ({ page, browser, target }) => {
  await seedConsole(browser, target); // a token to revoke
  await signIn(page, cast.operator);
  await page.setViewportSize({ width: 390, height: 844 });
  await openPage(page, "/settings/tokens");
  await page.getByRole("button", { name: "Menu" }).click();
  const menu = await new AxeBuilder({ page }).analyze();
  expect(menu.violations.map((v) => v.id)).toEqual([]);
  await page.getByRole("button", { name: "Menu" }).click();
  await page
    .getByRole("button", { name: /^Revoke/ })
    .first()
    .click();
  await expect(page.getByRole("alertdialog")).toBeVisible();
  const dialog = await new AxeBuilder({ page }).include("[role=alertdialog]").analyze();
  expect(dialog.violations.map((v) => v.id)).toEqual([]);
});
