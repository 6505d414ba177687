import { cast, createCloud, expect, signIn, test } from "./fixtures";

test("a Project asks for a Cloud on its page; the Cloud's manager approves it on the Approvals page", async ({ browser }) => {
  test.slow();
  const operator = await (await browser.newContext()).newPage();
  const owner = await (await browser.newContext()).newPage();
  await signIn(operator, cast.operator);
  await signIn(owner, cast.owner);
  const name = `Asked ${Date.now()}`;
  const cloud = await createCloud(operator, { name });

  await owner.getByRole("link", { name: "Projects" }).click();
  await owner.getByRole("link", { name: "Payments" }).click();
  await owner.getByLabel("Cloud id").fill(cloud.id);
  await owner.getByRole("button", { name: "Request Cloud" }).click();
  const row = owner.getByTestId("cloud-assignments").locator("li", { hasText: name });
  await expect(row).toHaveAttribute("data-state", "requested");

  await operator.goto("/approvals");
  const item = operator.locator("[data-approval]", { hasText: name });
  await expect(item).toContainText(`${cast.owner} asks to use the Cloud`);
  await item.getByRole("button", { name: /^Approve/ }).click();
  await operator.getByRole("alertdialog").getByRole("button", { name: "Approve" }).click();
  await expect(item).toHaveCount(0);

  await owner.reload();
  await expect(owner.getByTestId("cloud-assignments").locator("li", { hasText: name })).toHaveAttribute("data-state", "approved");
});
