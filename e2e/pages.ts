import type { Browser, Page } from "@playwright/test";
import { cloudBody, csrfHeaders } from "./api/callers";
import { cast, query, signIn, uniqueSlug, type Target } from "./fixtures";

/**
 * Every page of the console, for the specs that check all of them (axe,
 * phone widths, colour schemes). Add a page here when you add one to the
 * console; a page that needs data gets it from `seedConsole`.
 */
export interface ConsolePage {
  name: string;
  path: string;
}

export interface ConsoleSeed {
  cloudId: string;
  credentialId: string;
  projectId: string;
}

/** A payload every provider check accepts for an AWS Cloud (never a real key). */
export const AWS_PAYLOAD = JSON.stringify({
  access_key_id: "AKIAIOSFODNN7EXAMPLE",
  secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
});

/** Pages anyone can open signed out. */
export const PUBLIC_PAGES: ConsolePage[] = [{ name: "Sign in", path: "/login" }];

/** The pages the operator (platform admin) sees, with the seeded Cloud, credential and Project filled in. */
export function signedInPages(seed: ConsoleSeed): ConsolePage[] {
  return [
    { name: "Clouds", path: "/clouds" },
    { name: "New Cloud", path: "/clouds/new" },
    { name: "Cloud", path: `/clouds/${seed.cloudId}` },
    { name: "Issue credential", path: `/clouds/${seed.cloudId}/credentials/new` },
    { name: "Credential", path: `/credentials/${seed.credentialId}` },
    { name: "Expiring soon", path: "/credentials/expiring" },
    { name: "Projects", path: "/projects" },
    { name: "Project", path: `/projects/${seed.projectId}` },
    { name: "Approvals", path: "/approvals" },
    { name: "Audit", path: "/audit" },
    { name: "API tokens", path: "/settings/tokens" },
    { name: "Sessions", path: "/settings/sessions" },
    { name: "Users", path: "/settings/users" },
    { name: "Groups", path: "/settings/groups" },
    { name: "Identity providers", path: "/settings/identity-providers" },
    { name: "Device login", path: "/device" },
  ];
}

/**
 * As the operator, over /v1 with a browser session: a Cloud with a
 * credential expiring soon, usable in the demo Project "Payments", and an
 * API token, so lists, tables and panels have rows to show.
 */
export async function seedConsole(browser: Browser, target: Target): Promise<ConsoleSeed> {
  const context = await browser.newContext({ baseURL: target.baseURL });
  try {
    const page = await context.newPage();
    await signIn(page, cast.operator);
    const headers = await csrfHeaders(page.request, target.baseURL);
    const post = async (path: string, data: unknown) => {
      const response = await page.request.post(path, { headers, data });
      if (!response.ok()) throw new Error(`${path}: ${response.status()} ${await response.text()}`);
      return response.json();
    };
    const cloud = await post("/v1/clouds", cloudBody(uniqueSlug("pages")));
    const credential = await post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      display_name: `Deploy key ${cloud.slug}`,
      payload: Buffer.from(AWS_PAYLOAD).toString("base64"),
    });
    // Due in ten days, so "Expiring soon" lists it (the API issues with the default lifetime).
    await query(target, "UPDATE cloud_credentials SET expires_at = now() + interval '10 days' WHERE id = $1", [credential.id]);
    const [project] = await query<{ id: string }>(target, "SELECT id FROM projects WHERE slug = 'payments'");
    await post(`/v1/clouds/${cloud.id}/cloud-assignments`, { project_id: project.id });
    const whoami = await (await page.request.get("/v1/auth/whoami")).json();
    await post("/v1/auth/tokens", { identity_ref: `user:${whoami.subject}`, env_prefix: "dev" });
    return { cloudId: cloud.id, credentialId: credential.id, projectId: project.id };
  } finally {
    await context.close();
  }
}

/** The lightness (0 dark … 1 light) of the page's background, whichever colour space the browser reports it in. */
export async function backgroundLightness(page: Page): Promise<number> {
  const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const match = /^(lab|oklch|oklab|lch)\(([\d.]+)(%?)/.exec(colour);
  if (match) return Number(match[2]) / (match[1].startsWith("ok") && !match[3] ? 1 : 100);
  const rgb = /^rgba?\((\d+), (\d+), (\d+)/.exec(colour);
  if (!rgb) throw new Error(`unreadable colour ${colour}`);
  return (Number(rgb[1]) + Number(rgb[2]) + Number(rgb[3])) / 765;
}

/** Opens a page and waits until the client has hydrated it (the shell's scripts have run). */
export async function openPage(page: Page, path: string) {
  const response = await page.goto(path);
  if (!response || response.status() >= 400) throw new Error(`${path}: ${response?.status()}`);
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.locator("h1").first().waitFor();
}
