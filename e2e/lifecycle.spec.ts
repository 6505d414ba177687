import type { Page } from "@playwright/test";
import { cast, createCloud, expect, openCredentialAction, query, revokeCredential, signIn, test } from "./fixtures";

async function issue(page: Page, cloudId: string, name: string, options: { expiresOn?: string } = {}) {
  await page.goto(`/clouds/${cloudId}/credentials/new`);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Secret payload").fill(`material for ${name}`);
  await page.getByLabel("I know this shape is unusual").check();
  if (options.expiresOn) await page.getByLabel("Expires on (optional)").fill(options.expiresOn);
  await page.getByRole("button", { name: "Issue credential" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  return page.url().split("/").pop()!.split("?")[0];
}

test.describe("a credential's life in the console", () => {
  test("rotate makes version 2; a rotation from a page that still shows version 1 is refused and keeps no secret", async ({
    page,
    browser,
  }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    const id = await issue(page, cloud.id, "rotating");

    const stale = await (await browser.newContext({ storageState: await page.context().storageState() })).newPage();
    await stale.goto(`/credentials/${id}`);
    await expect(stale.getByTestId("credential-version")).toHaveText("1");

    await page.goto(`/credentials/${id}`);
    await openCredentialAction(page, "Rotate");
    await page.getByLabel("Secret payload").fill("second material");
    await page.getByLabel("I know this shape is unusual").check();
    await page.getByRole("button", { name: "Rotate credential" }).click();
    await expect(page.getByText("Rotated: version 2 is now current.")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("credential-version")).toHaveText("2");
    await expect(page.getByTestId("credential-id")).toHaveText(id);

    await openCredentialAction(stale, "Rotate");
    await stale.getByLabel("Secret payload").fill("stale material");
    await stale.getByLabel("I know this shape is unusual").check();
    await stale.getByRole("button", { name: "Rotate credential" }).click();
    await expect(stale.getByText("The credential changed since you loaded it; reload and try again.")).toBeVisible();
    await expect(stale.getByLabel("Secret payload")).toHaveValue("");
    await page.reload();
    await expect(page.getByTestId("credential-version")).toHaveText("2");
  });

  test("rename, then revoke with a reason: status revoked, no more rotation, recorded in the audit", async ({ page, target }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    const id = await issue(page, cloud.id, "to revoke");
    const edit = await openCredentialAction(page, "Edit");
    await edit.getByLabel("Display name").fill("renamed before revoke");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("renamed before revoke");

    await revokeCredential(page, "renamed before revoke", "laptop stolen");
    await expect(page.getByText("revoked", { exact: true })).toBeVisible();
    await expect(page.getByTestId("revoke-reason")).toContainText("laptop stolen");
    await expect(page.getByTestId("credential-actions")).toHaveCount(0);
    const rows = await query<{ action: string; reason: string }>(
      target,
      "SELECT action, reason FROM audit_entries WHERE target_id = $1 ORDER BY at",
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual(["credential.issue", "credential.update", "credential.revoke", "credential.secret_delete"]);
    expect(rows[2].reason).toBe("laptop stolen");
  });

  test("a revocation whose secret deletion is still owed says so on the page until the server's outbox worker lands it", async ({
    page,
    target,
  }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    const id = await issue(page, cloud.id, "owed deletion");
    await revokeCredential(page, "owed deletion", "rotated out");
    await expect(page.getByText("revoked", { exact: true })).toBeVisible();
    await expect(page.getByTestId("secret-revocation-pending")).toHaveCount(0);
    // The engine's answer is taken back, as if it had been unreachable during the revoke.
    await query(
      target,
      "UPDATE secret_revocations SET completed_at = NULL, claimed_until = now() + interval '3 seconds' WHERE credential_id = $1",
      [id],
    );
    await page.reload();
    await expect(page.getByTestId("secret-revocation-pending")).toHaveText(
      "revocation pending: the secret is still in the engine; retrying",
    );
    // The worker runs every OUTBOX_INTERVAL_SECONDS (5 by default) once the claim above has lapsed.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("secret-revocation-pending")).toHaveCount(0, { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    const rows = await query<{ actor_id: string | null }>(
      target,
      "SELECT actor_id FROM audit_entries WHERE target_id = $1 AND action = 'credential.secret_delete'",
      [id],
    );
    expect(rows.length).toBe(2);
    expect(rows.every((r) => r.actor_id === null)).toBe(true);
  });

  test("a credential past its expiry is stamped expired by the sweeper and shown as expired; soon-expiring ones are listed", async ({
    page,
    target,
  }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    const inFiveDays = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const soon = await issue(page, cloud.id, "renews in five days", { expiresOn: inFiveDays });
    await expect(page.getByTestId("expires-in")).toHaveText(/expiring in [45] days/);
    await page.getByRole("link", { name: "Expiring soon", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Expiring soon");
    await expect(page.getByRole("link", { name: "renews in five days", exact: true })).toBeVisible();

    const lapsed = await issue(page, cloud.id, "lapsed");
    // Time is moved, not waited for: the credential's expiry is set in the past.
    await query(target, "UPDATE cloud_credentials SET expires_at = now() - interval '1 minute' WHERE id = $1", [lapsed]);
    await expect
      .poll(
        async () =>
          (await query<{ expired_at: Date | null }>(target, "SELECT expired_at FROM cloud_credentials WHERE id = $1", [lapsed]))[0]
            .expired_at,
        {
          timeout: 15_000,
        },
      )
      .not.toBeNull();
    await page.goto(`/credentials/${lapsed}`);
    await expect(page.getByText("expired", { exact: true })).toBeVisible();
    await expect(page.getByText("Expired", { exact: true })).toBeVisible();
    expect(soon).not.toBe(lapsed);
  });
});

test("Test reports what is wrong with the material without showing it, and passes once rotated to a well-formed key pair", async ({
  page,
}) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page, { provider: "aws" });
  await page.goto(`/clouds/${cloud.id}/credentials/new`);
  await page.getByLabel("Display name").fill("seed example");
  await page.getByLabel("Secret payload").fill('{"access_key_id":"AKIAEXAMPLE","secret_access_key":"example"}');
  await page.getByLabel("I know this shape is unusual").check();
  await page.getByRole("button", { name: "Issue credential" }).click();
  const test = await openCredentialAction(page, "Test");
  await test.getByRole("button", { name: "Run the test" }).click();
  const result = page.getByTestId("validation-result");
  await expect(result).toContainText("Problems found for a aws credential");
  await expect(result).toContainText("access_key_id does not look right");
  await expect(result).not.toContainText("AKIAEXAMPLE");
  await page.keyboard.press("Escape");

  await openCredentialAction(page, "Rotate");
  await page
    .getByLabel("Secret payload")
    .fill('{"access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}');
  await page.getByRole("button", { name: "Rotate credential" }).click();
  await expect(page.getByText("Rotated: version 2 is now current.")).toBeVisible();
  await (await openCredentialAction(page, "Test")).getByRole("button", { name: "Run the test" }).click();
  await expect(page.getByTestId("validation-result")).toContainText("Looks like a valid aws credential.");
});
