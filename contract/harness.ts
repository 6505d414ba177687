import assert from "node:assert/strict";
import createClient, { type Client } from "openapi-fetch";
import type { components, paths as CatalogPaths } from "./.generated/catalog";
import type { paths as IdentityPaths } from "./.generated/identity";
import type { paths as NewerApprovalsPaths } from "./.generated/newer/approvals";
import type { paths as NewerAuditPaths } from "./.generated/newer/audit";
import type { paths as NewerCatalogPaths } from "./.generated/newer/catalog";
import type { paths as NewerIdentityPaths } from "./.generated/newer/identity";
import { loadContract } from "./conformance";

/**
 * What every contract/*.test.ts shares: the server's address, the contract
 * (June subsets and newer fragments, one conformance check for both), typed
 * clients of each generation whose every answer is checked, and the demo
 * cast signed in as a browser would and holding API tokens. Each test file
 * runs in its own process (scripts/test-contract.mjs) and signs in its own.
 */
export const baseUrl = process.env.CONTRACT_BASE_URL!;
export const contract = loadContract(process.env.CONTRACT_DIR!);
export type Schemas = components["schemas"];

export type Catalog = Client<CatalogPaths>;
export type Identity = Client<IdentityPaths>;
/** Clients of the newest shapes (contract/newer/*.yaml), for operations whose request changed or is new. */
export type Newer = {
  catalog: Client<NewerCatalogPaths>;
  identity: Client<NewerIdentityPaths>;
  approvals: Client<NewerApprovalsPaths>;
  audit: Client<NewerAuditPaths>;
};

export function clients(headers: Record<string, string>): { catalog: Catalog; identity: Identity; newer: Newer } {
  const catalog = createClient<CatalogPaths>({ baseUrl, headers });
  const identity = createClient<IdentityPaths>({ baseUrl, headers });
  const newer = {
    catalog: createClient<NewerCatalogPaths>({ baseUrl, headers }),
    identity: createClient<NewerIdentityPaths>({ baseUrl, headers }),
    approvals: createClient<NewerApprovalsPaths>({ baseUrl, headers }),
    audit: createClient<NewerAuditPaths>({ baseUrl, headers }),
  };
  for (const client of [catalog, identity, ...Object.values(newer)]) client.use(contract.middleware);
  return { catalog, identity, newer };
}

/** A browser-like sign-in (next-auth's credentials form), keeping cookies by hand. */
export async function signIn(email: string) {
  const jar = new Map<string, string>();
  const send = async (path: string, init: RequestInit = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...value] = pair.split("=");
      jar.set(name.trim(), value.join("="));
    }
    return response;
  };
  const { csrfToken } = await (await send("/api/auth/csrf")).json();
  const signedIn = await send("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password: "password", json: "true" }).toString(),
  });
  assert.ok(signedIn.status < 400, `sign-in as ${email}: ${signedIn.status}`);
  return { jar, cookieHeader: () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
}

export type Person = { id: string; tokenId: string } & ReturnType<typeof clients>;
export type Cast = Record<"operator" | "owner" | "viewer", Person>;

/**
 * Each member of the demo cast mints an API token through the contract's
 * cookie door: the session cookie, the plexsphere_csrf cookie echoed in
 * X-Plexsphere-CSRF, and the console's Origin.
 */
export async function signInCast(): Promise<Cast> {
  const people = {} as Cast;
  for (const [who, email] of [
    ["operator", "operator@example.com"],
    ["owner", "owner@example.com"],
    ["viewer", "viewer@example.com"],
  ] as const) {
    const session = await signIn(email);
    const cookieClient = clients({ cookie: session.cookieHeader() });
    const whoami = await cookieClient.catalog.GET("/v1/auth/whoami");
    assert.equal(whoami.response.status, 200);
    // The answer set the CSRF cookie; a contract client reads it like a browser's script would.
    for (const line of whoami.response.headers.getSetCookie()) {
      const [name, value] = line.split(";")[0].split("=");
      session.jar.set(name, value);
    }
    const csrf = session.jar.get("plexsphere_csrf");
    assert.ok(csrf, "the session got the contract's plexsphere_csrf cookie");
    const withCsrf = clients({ cookie: session.cookieHeader(), origin: new URL(baseUrl).origin, "X-Plexsphere-CSRF": csrf });
    const issued = await withCsrf.catalog.POST("/v1/auth/tokens", {
      body: { identity_ref: `user:${whoami.data!.subject}`, env_prefix: "dev" },
    });
    assert.equal(issued.response.status, 201, JSON.stringify(issued.error));
    const token: Schemas["APITokenIssueResponse"] = issued.data!;
    people[who] = { id: whoami.data!.subject, tokenId: token.id, ...clients({ authorization: `Bearer ${token.plaintext}` }) };
  }
  return people;
}
