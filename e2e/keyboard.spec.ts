import type { Locator, Page } from "@playwright/test";
import { cast, expect, test } from "./fixtures";
import { AWS_PAYLOAD, seedConsole } from "./pages";

/**
 * Keyboard only: Tab, Enter, Space and typing, never a click. A platform
 * operator signs in, issues a credential, renews it (a later expiry on its
 * Edit form) and revokes it through the confirmation that asks for its name.
 */
test.use({ locale: "en-US" });

/** Presses Tab until `target` has focus, proving it is reachable in tab order. */
async function tabTo(page: Page, target: Locator, max = 80) {
  await target.waitFor();
  const handle = await target.elementHandle();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await handle!.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) return;
  }
  throw new Error(`${target} was not reached with ${max} Tab presses`);
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000);
/** What to type into a date field in en-US: MMDDYYYY, segment by segment. */
const typedDate = (d: Date) =>
  `${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}${d.getUTCFullYear()}`;
const shownDate = (d: Date) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(d);

test("issue, renew and revoke a credential with the keyboard alone", async ({ page, browser, target }) => {
  test.setTimeout(120_000);
  const { cloudId } = await seedConsole(browser, target);
  const name = `Keyboard key ${Date.now()}`;

  await page.goto("/login");
  await tabTo(page, page.getByLabel("Email"));
  await page.keyboard.type(cast.operator);
  await tabTo(page, page.getByLabel("Password"));
  await page.keyboard.type("password");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/clouds$/);

  // The skip link is the first stop and takes focus past the navigation.
  await page.goto(`/clouds/${cloudId}`);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();

  await tabTo(page, page.getByRole("link", { name: "Issue credential" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/credentials\/new$/);
  await tabTo(page, page.getByLabel("Display name"));
  await page.keyboard.type(name);
  await tabTo(page, page.getByLabel("Secret payload"));
  await page.keyboard.type(AWS_PAYLOAD);
  const issuedExpiry = day(30);
  await tabTo(page, page.getByLabel("Expires on (optional)"));
  await page.keyboard.type(typedDate(issuedExpiry));
  await tabTo(page, page.getByRole("button", { name: "Issue credential" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/credentials\/[0-9a-f-]{36}/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText(shownDate(issuedExpiry)).first()).toBeVisible();

  // Renew: Edit opens its dialog; a later expiry (within the one-year rule) renews the credential.
  await tabTo(page, page.getByRole("button", { name: /^Edit/ }).first());
  await page.keyboard.press("Enter");
  const expiry = page.getByRole("dialog").getByLabel(/^Expires on/);
  const renewed = day(60);
  await tabTo(page, expiry);
  await page.keyboard.type(typedDate(renewed));
  await tabTo(page, page.getByRole("dialog").getByRole("button", { name: /^Save/ }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(page.getByText(shownDate(renewed)).first()).toBeVisible();

  // Revoke, confirming in the dialog by typing the credential's name.
  await tabTo(page, page.getByRole("button", { name: /^Revoke/ }).first());
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(name);
  await tabTo(page, dialog.getByLabel(/Reason/));
  await page.keyboard.type("rotated out by keyboard");
  const typed = dialog.getByLabel(/to confirm/);
  await tabTo(page, typed);
  await page.keyboard.type(name);
  await tabTo(page, dialog.getByRole("button", { name: /^Revoke/ }));
  await page.keyboard.press("Space");
  await expect(dialog).toBeHidden();
  await expect(page.getByText("revoked", { exact: true }).first()).toBeVisible();
});
