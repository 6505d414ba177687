import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { Browser } from "@playwright/test";
import { cast, createCloud, expect, query, signIn, test, uniqueSlug, type Target } from "./fixtures";

/**
 * Teams, invitations and disabling, as a platform admin and the people
 * they manage see them: through the console, each person in their own
 * browser context.
 */
const PASSWORD = "a long enough password";

async function seedPerson(target: Target, label: string): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = `${label}-${id.slice(0, 8)}@example.com`;
  const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  await query(target, `INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4)`, [
    id,
    email,
    label,
    passwordHash,
  ]);
  return { id, email };
}

async function personPage(browser: Browser, target: Target, email: string, password = PASSWORD) {
  const context = await browser.newContext({ baseURL: target.baseURL });
  const page = await context.newPage();
  await signIn(page, email, password);
  return { context, page };
}

test("an admin creates a group, adds a member, shares a Cloud with it, and the member sees the Cloud", async ({
  page,
  browser,
  target,
}) => {
  const member = await seedPerson(target, "member");
  await signIn(page, cast.operator);
  const cloudName = `Team cloud ${uniqueSlug("")}`;
  const cloud = await createCloud(page, { name: cloudName });

  const groupName = `Team ${uniqueSlug("")}`;
  await page.goto("/settings/groups");
  await page.getByLabel("Name").fill(groupName);
  await page.getByLabel("Slug").fill(uniqueSlug("team"));
  await page.getByRole("button", { name: "Create group" }).click();
  const section = page.getByRole("region", { name: `Group ${groupName}` });
  await expect(section).toBeVisible();
  await section.getByLabel("Add member (email)").fill(member.email);
  await section.getByRole("button", { name: "Add" }).click();
  await expect(section.getByText(member.email)).toBeVisible();

  // Before the share, the member cannot see the Cloud.
  const { context, page: memberPage } = await personPage(browser, target, member.email);
  await memberPage.goto(`/clouds/${cloud.id}`);
  await expect(memberPage.getByRole("heading", { level: 1 })).not.toHaveText(cloudName);

  await page.goto(`/clouds/${cloud.id}`);
  await page.getByLabel("or with a group").selectOption({ label: groupName });
  await page.getByLabel("Access", { exact: true }).selectOption("observer");
  await page.getByRole("button", { name: "Share" }).click();
  await expect(page.getByText(`group ${groupName}`, { exact: true })).toBeVisible();
  const access = page.getByRole("list", { name: "Who has access" });
  await expect(access.getByRole("listitem").filter({ hasText: member.email })).toContainText(`observe through group ${groupName}`);

  // The member's very next request sees it: no re-sign-in, no cache to wait out.
  await memberPage.goto("/clouds");
  await expect(memberPage.getByRole("link", { name: cloud.slug })).toBeVisible();
  await memberPage.goto(`/clouds/${cloud.id}`);
  await expect(memberPage.getByRole("heading", { level: 1 })).toHaveText(cloudName);

  // Removing them from the group (with a confirmation) takes it away at the next request.
  await page.goto("/settings/groups");
  await section.getByRole("button", { name: `Remove ${member.email} from ${groupName}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
  await expect(section.getByText(member.email)).toHaveCount(0);
  await memberPage.goto(`/clouds/${cloud.id}`);
  await expect(memberPage.getByRole("heading", { level: 1 })).not.toHaveText(cloudName);
  await context.close();
});

test("an admin invites a colleague; the colleague accepts through the link, signs in and holds the initial grant", async ({
  page,
  browser,
  target,
}) => {
  await signIn(page, cast.operator);
  const cloudName = `Invite cloud ${uniqueSlug("")}`;
  const cloud = await createCloud(page, { name: cloudName });
  const email = `colleague-${randomUUID().slice(0, 8)}@example.com`;

  await page.goto("/settings/users");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Grant on acceptance").selectOption({ label: `Observe Cloud ${cloudName}` });
  await page.getByRole("button", { name: "Invite" }).click();
  const link = (await page.getByTestId("invitation-link").textContent())!.trim();
  expect(link).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}$/);
  await expect(page.locator(`[data-invitation-email="${email}"]`)).toContainText("pending");
  // Only the digest is stored: the link's token appears nowhere in the database row.
  const rows = await query<{ token_digest: string }>(target, `SELECT token_digest FROM invitations WHERE email = $1`, [email]);
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain(link.split("/").pop()!);

  const context = await browser.newContext({ baseURL: target.baseURL });
  const colleague = await context.newPage();
  await colleague.goto(new URL(link).pathname);
  await expect(colleague.getByText(email)).toBeVisible();
  await colleague.getByLabel("Your name").fill("Grace Colleague");
  await colleague.getByLabel("Password").fill(PASSWORD);
  await colleague.getByRole("button", { name: "Create account" }).click();
  await expect(colleague).toHaveURL(/\/login/);
  await signIn(colleague, email, PASSWORD);
  await colleague.goto(`/clouds/${cloud.id}`);
  await expect(colleague.getByRole("heading", { level: 1 })).toHaveText(cloudName);

  // The link worked once.
  await colleague.goto(new URL(link).pathname);
  await expect(colleague.getByText("This invitation link has")).toContainText("used already");
  await page.goto("/settings/users");
  await expect(page.locator(`[data-invitation-email="${email}"]`)).toContainText("accepted");
  await context.close();
});

test("an admin disables a user; that user's open session is refused at the next navigation", async ({ page, browser, target }) => {
  const person = await seedPerson(target, "leaver");
  const { context, page: theirs } = await personPage(browser, target, person.email);
  await theirs.goto("/clouds");
  await expect(theirs.getByTestId("signed-in-as")).toHaveText(person.email);

  await signIn(page, cast.operator);
  await page.goto("/settings/users");
  const row = page.locator(`[data-user-email="${person.email}"]`);
  await row.getByRole("button", { name: `Disable ${person.email}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable" }).click();
  await expect(row.getByTestId("user-status")).toHaveText("disabled");

  await theirs.goto("/projects");
  await expect(theirs).toHaveURL(/\/login/);
  // And they cannot sign in again while disabled.
  await theirs.getByLabel("Email").fill(person.email);
  await theirs.getByLabel("Password").fill(PASSWORD);
  await theirs.getByRole("button", { name: "Sign in" }).click();
  await expect(theirs).toHaveURL(/\/login/);
  await context.close();
});
