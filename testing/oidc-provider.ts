/**
 * A real OpenID Provider for the SSO tests: `oidc-provider` (the certified
 * Node implementation) on loopback, with its own development login and
 * consent pages (devInteractions: any password is accepted for the
 * configured accounts). Not a mock: discovery, the authorization code
 * flow with PKCE, state and nonce, signed ID tokens and userinfo are the
 * library's own.
 *
 *   node --import tsx testing/oidc-provider.ts --port 4121 --redirect-base http://localhost:4101 [--redirect-base …]
 *
 * Tests change an account's claims (e.g. its groups between two sign-ins)
 * with `PUT /__test/accounts/<login>` (a JSON object of claims), which only
 * this test server has.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import Provider from "oidc-provider";
import { TEST_OIDC_ALIASES, TEST_OIDC_CLIENT, testAccounts, type TestClaims } from "./oidc-accounts";

export function startOidcProvider(options: { port: number; redirectBases: string[] }) {
  const issuer = `http://localhost:${options.port}`;
  const accounts = testAccounts();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_OIDC_CLIENT.clientId,
        client_secret: TEST_OIDC_CLIENT.clientSecret,
        redirect_uris: options.redirectBases.flatMap((base) => TEST_OIDC_ALIASES.map((alias) => `${base}/api/auth/callback/${alias}`)),
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    scopes: ["openid", "email", "profile", "groups"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    // The ID token carries the scopes' claims too, as most enterprise IdPs configure it.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["test-oidc-provider-cookie-key"] },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...accounts[id] }) };
    },
  });
  // Loopback http: tell the library the request is what it is (no proxy in front).
  provider.proxy = false;
  const callback = provider.callback();
  const server = createServer((request, response) => {
    const match = /^\/__test\/accounts\/([a-z]+)$/.exec(request.url ?? "");
    if (match && request.method === "PUT") {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        const id = match[1];
        accounts[id] = { ...(accounts[id] ?? { sub: id }), ...(JSON.parse(body) as Partial<TestClaims>) } as TestClaims;
        response.writeHead(204).end();
      });
      return;
    }
    callback(request, response);
  });
  server.listen(options.port, "127.0.0.1");
  return { issuer, server };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: "string" }, "redirect-base": { type: "string", multiple: true } } });
  const { issuer } = startOidcProvider({ port: Number(values.port), redirectBases: values["redirect-base"] ?? [] });
  console.log(`oidc-provider listening as ${issuer}`);
}
