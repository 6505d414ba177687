import { AWS_EXAMPLE_PAYLOAD, cast, createCloud, expect, revokeCredential, signIn, test } from "./fixtures";
import { csrfHeaders } from "./api/callers";

test("two-party assignment: the owner requests, the operator approves, the owner sees it without reloading", async ({
  browser,
  target,
}) => {
  // Two browsers and a confirmation per decision: more than the default minute on a loaded machine.
  test.slow();
  const operator = await (await browser.newContext()).newPage();
  const owner = await (await browser.newContext()).newPage();
  await signIn(operator, cast.operator);
  await signIn(owner, cast.owner);

  // The operator issues a credential and makes its Cloud usable in the demo Project.
  const cloud = await createCloud(operator);
  const name = `for payments ${Date.now()}`;
  await operator.goto(`/clouds/${cloud.id}/credentials/new`);
  await operator.getByLabel("Display name").fill(name);
  await operator.getByLabel("Secret payload").fill(AWS_EXAMPLE_PAYLOAD);
  await operator.getByRole("button", { name: "Issue credential" }).click();
  const credentialId = (await operator.getByTestId("credential-id").textContent())!;
  await operator.goto(`/clouds/${cloud.id}`);
  await operator.getByLabel("Project").selectOption({ label: "Payments" });
  await operator.getByRole("button", { name: "Make usable" }).click();
  await expect(operator.getByText("Payments", { exact: true })).toBeVisible();

  // The owner finds it among the available credentials and requests it.
  await owner.getByRole("link", { name: "Projects" }).click();
  await owner.getByRole("link", { name: "Payments" }).click();
  await owner.getByRole("button", { name: `Request ${name}` }).click();
  const state = owner.locator("li", { hasText: name }).getByTestId("assignment-state");
  await expect(state).toHaveText("requested");

  // Their own request is not theirs to approve: not in their inbox, and refused if tried.
  await owner.goto("/approvals");
  await expect(owner.locator("[data-approval]", { hasText: name })).toHaveCount(0);
  const assignmentId = await owner.evaluate(async (projectName) => {
    const projects = await (await fetch("/v1/projects")).json();
    const payments = projects.items.find((p: { name: string }) => p.name === projectName);
    const list = await (await fetch(`/v1/projects/${payments.id}/credential-assignments`)).json();
    return list.items.find((a: { state: string }) => a.state === "requested")?.id as string;
  }, "Payments");
  const selfApproval = await owner.request.post(`/v1/credential-assignments/${assignmentId}/approve`, {
    headers: await csrfHeaders(owner.request, target.baseURL),
    data: { reason: "my own" },
  });
  expect(selfApproval.status()).toBe(403);
  expect((await selfApproval.json()).code).toBe("self_approval_denied");

  // The owner watches the Project page; the operator approves in another browser.
  await owner.goBack();
  await expect(state).toHaveText("requested");
  await operator.goto("/approvals");
  const item = operator.locator("[data-approval]", { hasText: name });
  await expect(item).toContainText(cast.owner);
  await item.getByRole("button", { name: /^Approve/ }).click();
  await operator.getByRole("alertdialog").getByRole("button", { name: "Approve" }).click();
  await expect(item).toHaveCount(0);
  await expect(state).toHaveText("approved");

  // An owner can take an approved assignment back from the Project page.
  // It asks first: cancelling keeps the assignment.
  await owner.locator("li", { hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await owner.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
  await expect(state).toHaveText("approved");
  await owner.locator("li", { hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await owner.getByRole("alertdialog").getByRole("button", { name: "Revoke assignment" }).click();
  await expect(state).toHaveText("revoked");

  // Once the credential is revoked it is no longer offered, and cannot be assigned.
  await operator.goto(`/credentials/${credentialId}`);
  await revokeCredential(operator, name, "rotating out");
  await expect(operator.getByText("revoked", { exact: true })).toBeVisible();
  await owner.reload();
  await expect(owner.getByRole("button", { name: `Request ${name}` })).toHaveCount(0);
  const projectId = owner.url().split("/").pop();
  const again = await owner.request.post(`/v1/projects/${projectId}/credential-assignments`, {
    headers: await csrfHeaders(owner.request, target.baseURL),
    data: { cloud_credential_id: credentialId },
  });
  expect(again.status()).toBe(422);
  expect((await again.json()).code).toBe("credential_not_assignable");
});
