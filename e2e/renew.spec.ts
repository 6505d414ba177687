import type { Page } from "@playwright/test";
import { AWS_EXAMPLE_PAYLOAD, cast, createCloud, expect, openCredentialAction, query, revokeCredential, signIn, test } from "./fixtures";

const DAY = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

async function issue(page: Page, cloudId: string, name: string, expiresOn?: string) {
  await page.goto(`/clouds/${cloudId}/credentials/new`);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Secret payload").fill(AWS_EXAMPLE_PAYLOAD);
  if (expiresOn) await page.getByLabel("Expires on (optional)").fill(expiresOn);
  await page.getByRole("button", { name: "Issue credential" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText(`Issued ${name}.`)).toBeVisible();
  return page.url().split("/").pop()!.split("?")[0];
}

async function expiresAt(page: Page, target: Parameters<typeof query>[0], id: string) {
  const [row] = await query<{ expires_at: Date }>(target, "SELECT expires_at FROM cloud_credentials WHERE id = $1", [id]);
  return row.expires_at.toISOString().slice(0, 10);
}

test.describe("renewing a credential", () => {
  test("from Edit: a later expiry is saved and audited; beyond a year is refused on the field", async ({ page, target }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    const id = await issue(page, cloud.id, `renew by edit ${Date.now()}`, isoDay(5));

    let edit = await openCredentialAction(page, "Edit");
    await edit.getByLabel("Expires on").fill(isoDay(400));
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit.getByText("Pick a date after today and at most 365 days ahead.")).toBeVisible();
    expect(await expiresAt(page, target, id)).toBe(isoDay(5));

    await edit.getByLabel("Expires on").fill(isoDay(200));
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByText(`Renewed: now expires on ${isoDay(200)}.`)).toBeVisible();
    expect(await expiresAt(page, target, id)).toBe(isoDay(200));
    await expect(page.getByTestId("version-history")).toContainText("renewed");
    const audit = await query<{ action: string }>(
      target,
      "SELECT action FROM audit_entries WHERE target_id = $1 AND action = 'credential.renewed'",
      [id],
    );
    expect(audit.length).toBe(1);

    // Only one action panel at a time: opening Edit again shows one dialog, and no stale "Saved." lingers.
    edit = await openCredentialAction(page, "Edit");
    await expect(page.getByRole("dialog")).toHaveCount(1);
    await expect(edit.getByText("Saved.")).toHaveCount(0);
  });

  test("from Expiring soon: Renew in the row, and Rotate with a later expiry", async ({ page, target }) => {
    await signIn(page, cast.operator);
    const cloud = await createCloud(page);
    const renewName = `renew in list ${Date.now()}`;
    const rotateName = `rotate in list ${Date.now()}`;
    const renewId = await issue(page, cloud.id, renewName, isoDay(3));
    const rotateId = await issue(page, cloud.id, rotateName, isoDay(4));

    await page.goto("/credentials/expiring");
    await page.getByRole("button", { name: `Renew ${renewName}` }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByLabel("New expiry")).toHaveValue(isoDay(365));
    await dialog.getByLabel("New expiry").fill(isoDay(90));
    await dialog.getByRole("button", { name: "Renew" }).click();
    await expect(page.getByText(`Renewed ${renewName}: now expires on ${isoDay(90)}.`)).toBeVisible();
    await expect(page.getByRole("link", { name: renewName, exact: true })).toHaveCount(0);
    expect(await expiresAt(page, target, renewId)).toBe(isoDay(90));

    await page.getByRole("link", { name: `Rotate ${rotateName}` }).click();
    const rotate = page.getByRole("dialog");
    await expect(rotate.getByRole("heading", { name: "Rotate credential" })).toBeVisible();
    await rotate.getByLabel("Secret payload").fill(AWS_EXAMPLE_PAYLOAD);
    await rotate.getByLabel("New expiry (optional, renews)").fill(isoDay(180));
    await rotate.getByRole("button", { name: "Rotate credential" }).click();
    await expect(page.getByText(`Rotated: version 2 is now current, expiring on ${isoDay(180)}.`)).toBeVisible();
    await expect(page.getByTestId("credential-version")).toHaveText("2");
    expect(await expiresAt(page, target, rotateId)).toBe(isoDay(180));
    await expect(page.getByTestId("version-history")).toContainText("v2 rotated");
    await expect(page.getByTestId("version-history")).toContainText("v1 issued");
    await expect(page.getByTestId("version-history")).toContainText(cast.operator);
  });
});

test("shape refusal at issue: an AWS payload that is not JSON is refused on the field, naming the rule; the override issues it", async ({
  page,
  target,
}) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page, { provider: "aws" });
  await page.goto(`/clouds/${cloud.id}/credentials/new`);
  const payload = page.getByLabel("Secret payload");
  await expect(payload).toHaveAttribute("placeholder", /"access_key_id": "…", "secret_access_key": "…"/);
  await expect(page.getByText(/Expected: a JSON object holding an AWS access key pair/)).toBeVisible();

  await page.getByLabel("Display name").fill("not json");
  await payload.fill("not json at all");
  await page.getByRole("button", { name: "Issue credential" }).click();
  const error = page.locator('[data-field-error="payload_text"]');
  await expect(error).toContainText("should be a JSON object");
  await expect(error).toContainText("access_key_id is missing");
  await expect(error).not.toContainText("not json at all");
  await expect(payload).toHaveValue("");
  const [{ n }] = await query<{ n: string }>(target, "SELECT count(*)::text AS n FROM cloud_credentials WHERE cloud_id = $1", [cloud.id]);
  expect(n).toBe("0");

  await payload.fill("not json at all");
  await page.getByLabel("I know this shape is unusual").check();
  await page.getByRole("button", { name: "Issue credential" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("not json");
  const id = page.url().split("/").pop()!.split("?")[0];
  const [entry] = await query<{ reason: string }>(
    target,
    "SELECT reason FROM audit_entries WHERE target_id = $1 AND action = 'credential.issue'",
    [id],
  );
  expect(entry.reason).toBe("provider shape check overridden");
});

test("revoke asks first: the name must be typed, the reason is kept and shown", async ({ page, target }) => {
  await signIn(page, cast.operator);
  const cloud = await createCloud(page);
  const name = `to revoke ${Date.now()}`;
  const id = await issue(page, cloud.id, name);

  const dialog = await openCredentialAction(page, "Revoke");
  await expect(dialog).toContainText("cannot be undone");
  await dialog.getByLabel("Reason").fill("laptop stolen");
  const confirm = dialog.getByRole("button", { name: "Revoke credential" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("active", { exact: true })).toBeVisible();
  const [before] = await query<{ revoked_at: Date | null }>(target, "SELECT revoked_at FROM cloud_credentials WHERE id = $1", [id]);
  expect(before.revoked_at).toBeNull();

  await revokeCredential(page, name, "laptop stolen");
  await expect(page.getByText(`Revoked ${name}.`)).toBeVisible();
  await expect(page.getByText("revoked", { exact: true })).toBeVisible();
  await expect(page.getByTestId("revoke-reason")).toContainText("laptop stolen");
  await page.reload();
  await expect(page.getByTestId("revoke-reason")).toContainText("laptop stolen");
  await expect(page.getByTestId("version-history")).toContainText("revoked");
  await expect(page.getByTestId("credential-actions")).toHaveCount(0);
});

test("two-party: Request shows its pending state and is not offered twice; a rejection asks for a reason the requester sees", async ({
  browser,
}) => {
  test.slow();
  const operator = await (await browser.newContext()).newPage();
  const owner = await (await browser.newContext()).newPage();
  await signIn(operator, cast.operator);
  await signIn(owner, cast.owner);

  const cloud = await createCloud(operator);
  const name = `to reject ${Date.now()}`;
  await issue(operator, cloud.id, name);
  await operator.goto(`/clouds/${cloud.id}`);
  await operator.getByLabel("Project").selectOption({ label: "Payments" });
  await operator.getByRole("button", { name: "Make usable" }).click();
  await expect(operator.getByText("Payments", { exact: true })).toBeVisible();

  await owner.getByRole("link", { name: "Projects" }).click();
  await owner.getByRole("link", { name: "Payments" }).click();
  const request = owner.getByRole("button", { name: `Request ${name}` });
  await request.click();
  await expect(owner.getByText(`Requested ${name}; someone who owns the Project decides.`)).toBeVisible();
  await expect(owner.getByRole("button", { name: `Request ${name}` })).toHaveCount(0);
  await expect(owner.locator("li", { hasText: name }).getByTestId("already-requested")).toHaveText("requested");
  await owner.reload();
  await expect(owner.getByRole("button", { name: `Request ${name}` })).toHaveCount(0);

  await operator.goto("/approvals");
  await expect(operator.getByTestId("pending-approvals")).toBeVisible();
  const item = operator.locator("[data-approval]", { hasText: name });
  await item.getByRole("button", { name: /^Reject/ }).click();
  const dialog = operator.getByRole("alertdialog");
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(dialog.getByText("Give a reason; the requester sees it.")).toBeVisible();
  await dialog.getByLabel("Reason").fill("use the staging credential");
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(item).toHaveCount(0);

  // The requester's page picks the decision up by polling and shows why.
  await expect(owner.locator("[data-assignment]", { hasText: name }).getByTestId("assignment-reason")).toHaveText(
    "Rejected: use the staging credential",
  );
  await expect(owner.locator("[data-assignment]", { hasText: name }).getByTestId("assignment-state")).toHaveText("rejected");
});
