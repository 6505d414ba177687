/** What the test OpenID Provider (testing/oidc-provider.ts) and the SSO specs agree on. */
export const TEST_OIDC_CLIENT = { clientId: "plexsphere-console", clientSecret: "test-oidc-client-secret-0d6f2c" };

/** The aliases the specs give their bindings; each one's callback URL is registered at the provider. */
export const TEST_OIDC_ALIASES = ["corp-sso", "corp-admin"];

export type TestClaims = { sub: string; email: string; email_verified: boolean; name: string; groups: string[] };

/** Sign in as any of these at the provider's login page, with any password. */
export function testAccounts(): Record<string, TestClaims> {
  return {
    ada: { sub: "ada", email: "ada@corp.example", email_verified: true, name: "Ada Lovelace", groups: ["platform-ops", "unmapped"] },
    grace: { sub: "grace", email: "grace@partner.example", email_verified: true, name: "Grace Hopper", groups: [] },
    mallory: { sub: "mallory", email: "mallory@corp.example", email_verified: false, name: "Mallory", groups: [] },
    root: { sub: "root", email: "root@corp.example", email_verified: true, name: "First Admin", groups: [] },
  };
}
