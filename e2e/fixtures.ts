import { readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";

/** The demo cast, seeded by the server in demo mode. */
export const cast = {
  operator: "operator@example.com",
  owner: "owner@example.com",
  viewer: "viewer@example.com",
} as const;
export const DEMO_PASSWORD = "password";

export interface Target {
  baseURL: string;
  serverLog: string;
  databaseUrl: string;
  /** Only on the postgres-vault target: the KV-v2 double the server writes to. */
  vault?: { addr: string; token: string /** The server logs in with AppRole; its secret id is in this file. */; secretIdFile?: string };
}

export const test = base.extend<{ target: Target }>({
  target: async ({}, use, testInfo) => {
    const targets = JSON.parse(readFileSync(path.join(__dirname, ".artifacts", "targets.json"), "utf8"));
    await use(targets[testInfo.project.name]);
  },
});
export { expect };

/** Signs in through the login form, the way a person does. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/clouds$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
}

/** AWS's documented example key pair: the shape an AWS credential has, and no real account's. */
export const AWS_EXAMPLE_PAYLOAD =
  '{"access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}';

/** Opens one of the credential page's actions (Test, Rotate, Edit, Revoke): each is a button that opens a dialog. */
export async function openCredentialAction(page: Page, action: "Test" | "Rotate" | "Edit" | "Revoke") {
  await page.getByTestId("credential-actions").getByRole("button", { name: action, exact: true }).click();
  return page.getByRole(action === "Revoke" ? "alertdialog" : "dialog");
}

/** Revokes from the credential page: the dialog asks for a reason and the credential's name typed out. */
export async function revokeCredential(page: Page, name: string, reason: string) {
  const dialog = await openCredentialAction(page, "Revoke");
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await dialog.getByRole("button", { name: "Revoke credential" }).click();
  await expect(dialog).toHaveCount(0);
}

export function uniqueSlug(prefix = "e2e") {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Creates a Cloud through the New Cloud form and returns its id (from the URL it lands on). */
export async function createCloud(page: Page, options: { slug?: string; name?: string; provider?: string } = {}) {
  const slug = options.slug ?? uniqueSlug();
  await page.goto("/clouds/new");
  await page.getByLabel("Display name").fill(options.name ?? `Cloud ${slug}`);
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Provider").selectOption(options.provider ?? "aws");
  await page.getByLabel("External id").fill(`acct-${slug}`);
  await page.getByRole("button", { name: "Create Cloud" }).click();
  await expect(page).toHaveURL(/\/clouds\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(options.name ?? `Cloud ${slug}`);
  return { id: page.url().split("/").pop()!, slug };
}

/** Runs one query against the target's database (the test's own connection). */
export async function query<T extends pg.QueryResultRow>(target: Target, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
