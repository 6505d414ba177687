import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { countCanary, dumpDatabase, makeCanary } from "../testing/canary";
import { cast, createCloud, expect, query, signIn, test } from "./fixtures";

/** Every response body and request URL the browser saw from now on. */
function recordTraffic(page: Page) {
  const bodies: string[] = [];
  const urls: string[] = [];
  const pending: Promise<void>[] = [];
  page.on("request", (request) => urls.push(request.url()));
  page.on("response", (response) => {
    pending.push(
      response
        .body()
        .then((b) => void bodies.push(b.toString("utf8")))
        .catch(() => {}), // redirects have no body
    );
  });
  return {
    async all() {
      await Promise.all(pending);
      return { bodies: bodies.join("\n"), urls: urls.join("\n"), responseCount: bodies.length };
    },
  };
}

test("a canary payload and key-value are found nowhere: responses, HTML, URLs, server log, database", async ({ page, target }) => {
  const canary = makeCanary();
  const name = `canary holder ${Date.now()}`;
  await signIn(page, cast.operator);
  const cloud = await createCloud(page);
  const traffic = recordTraffic(page);

  await page.goto(`/clouds/${cloud.id}/credentials/new`);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Secret payload").fill(canary);
  await page.getByRole("button", { name: "Add key-value" }).click();
  await page.getByLabel("Key-values (optional) row 1 key").fill(`k-${canary}`);
  await page.getByLabel("Key-values (optional) row 1 value").fill(canary);
  // A canary is not an AWS key pair: the operator says so explicitly (lib/credentials/shape.ts).
  await page.getByLabel("I know this shape is unusual").check();
  await page.getByRole("button", { name: "Issue credential" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const credentialId = (await page.getByTestId("credential-id").textContent())!;
  const html = [await page.content()];

  // Walk the read surfaces again, by link (RSC payloads) and by full load (HTML).
  await page
    .getByRole("link", { name: "Cloud " + cloud.slug })
    .first()
    .click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toBeVisible();
  html.push(await page.content());
  await page.goto(`/credentials/${credentialId}`);
  html.push(await page.content());
  await page.goto("/clouds");
  html.push(await page.content());

  const seen = await traffic.all();
  const serverLog = readFileSync(target.serverLog, "utf8");
  const dump = await dumpDatabase(target.databaseUrl);

  // Positive controls: each haystack really holds what this flow produced.
  expect(seen.bodies).toContain(name);
  expect(html.join("")).toContain(credentialId);
  expect(serverLog).toContain(credentialId);
  expect(dump).toContain(name);

  expect(countCanary(seen.bodies, canary), "response bodies").toBe(0);
  expect(countCanary(html.join("\n"), canary), "page HTML").toBe(0);
  expect(countCanary(seen.urls, canary), "URLs").toBe(0);
  expect(countCanary(serverLog, canary), "server log").toBe(0);
  expect(countCanary(dump, canary), "database dump").toBe(0);

  if (target.vault) {
    // On the production path the material must be in the KV-v2 engine, under a path of ids only.
    const response = await fetch(`${target.vault.addr}/v1/secret/data/plexsphere/clouds/${cloud.id}/cloud-credentials/${credentialId}`, {
      headers: { "X-Vault-Token": target.vault.token },
    });
    expect(response.status).toBe(200);
    const stored = (await response.json()).data.data;
    expect(Buffer.from(stored.payload, "base64").toString("utf8")).toBe(canary);
    expect(stored.key_values).toEqual({ [`k-${canary}`]: canary });
  }
});

test("a manager who loses manage before submitting is refused, and the form keeps no secret", async ({ page, target }) => {
  const canary = makeCanary();
  await signIn(page, cast.operator);
  const cloud = await createCloud(page);
  await page.goto(`/clouds/${cloud.id}/credentials/new`);
  const traffic = recordTraffic(page);
  await page.getByLabel("Display name").fill("never issued");
  await page.getByLabel("Secret payload").fill(canary);

  await query(target, "DELETE FROM relation_tuples WHERE object_type = 'cloud' AND object_id = $1", [cloud.id]);
  await page.getByRole("button", { name: "Issue credential" }).click();

  await expect(page.getByText("You are not permitted to do this.")).toBeVisible();
  await expect(page.getByLabel("Secret payload")).toHaveValue("");
  expect(await page.getByLabel("Secret payload").evaluate((el: HTMLTextAreaElement) => el.value)).toBe("");
  const seen = await traffic.all();
  expect(countCanary(seen.bodies, canary)).toBe(0);
  const [{ count }] = await query<{ count: string }>(target, "SELECT count(*) FROM cloud_credentials WHERE cloud_id = $1", [cloud.id]);
  expect(Number(count)).toBe(0);
});
