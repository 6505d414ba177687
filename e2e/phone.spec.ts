import { cast, expect, signIn, test } from "./fixtures";
import { PUBLIC_PAGES, openPage, seedConsole, signedInPages } from "./pages";

/** A phone: every page fits 390 px without scrolling sideways; tables scroll inside their card. */
test.use({ viewport: { width: 390, height: 844 } });

test("no page is wider than a 390 px phone", async ({ page, browser, target }) => {
  test.setTimeout(120_000);
  const seed = await seedConsole(browser, target);
  const tooWide: string[] = [];
  const check = async (name: string, path: string) => {
    await openPage(page, path);
    const { width, culprits } = await page.evaluate(() => {
      const limit = document.documentElement.clientWidth;
      const culprits = [...document.querySelectorAll<HTMLElement>("body *")]
        .filter((el) => el.getBoundingClientRect().right > limit + 1 && el.getClientRects().length > 0)
        .filter((el) => !el.closest(".overflow-x-auto"))
        .slice(-3)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 4).join(".")} → ${Math.round(el.getBoundingClientRect().right)}px`,
        );
      return { width: document.scrollingElement!.scrollWidth, culprits };
    });
    if (width > 390) tooWide.push(`${name} (${path}) is ${width}px wide: ${culprits.join("; ")}`);
  };
  for (const { name, path } of PUBLIC_PAGES) await check(name, path);
  await signIn(page, cast.operator);
  for (const { name, path } of signedInPages(seed)) await check(name, path);
  expect(tooWide, tooWide.join("\n")).toEqual([]);
});

test("the navigation folds into a menu that opens and closes", async ({ page }) => {
  await signIn(page, cast.operator);
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link", { name: "Clouds" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Projects" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  // Focus lands on the new page's heading after the client-side navigation.
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();

  await menu.click();
  await expect(nav.getByRole("link", { name: "Projects" })).toHaveAttribute("aria-current", "page");
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await expect(nav).toBeHidden();
});

test("a table wider than the phone scrolls inside its card and can be scrolled by keyboard", async ({ page, browser, target }) => {
  await seedConsole(browser, target);
  await signIn(page, cast.operator);
  await openPage(page, "/audit");
  const region = page.getByRole("region", { name: "Audit entries" });
  await expect(region).toHaveAttribute("tabindex", "0");
  await region.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
});
