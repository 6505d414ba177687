import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { ClientMetadata, TokenSet } from "openid-client";
import type { IdpBinding } from "@/lib/db/generated/client";
import { activeBindings, bindingByAlias, clientSecretFor } from "./bindings";
import { cachedDiscovery, type DiscoveryDocument } from "./discovery";

/**
 * One OpenID Connect provider per active IdP binding, read from the database each time so a new
 * binding works without a restart. The client secret is read from the secret store only for the
 * provider this request signs in with.
 */
export async function ssoProviders(signingIn?: {
  action: "signin" | "callback";
  provider: string;
}): Promise<OAuthConfig<Record<string, unknown>>[]> {
  const bindings = await activeBindings();
  const providerInPath = signingIn?.provider;
  // A sign-in started while its binding was active comes back to a callback for it; it is served so the
  // refusal (binding_inactive) is decided, shown and audited by lib/sso/sign-in.ts rather than lost in a generic error.
  if (signingIn?.action === "callback" && !bindings.some((b) => b.alias === providerInPath)) {
    const stale = await bindingByAlias(signingIn.provider);
    if (stale) bindings.push(stale);
  }
  return Promise.all(
    bindings.flatMap((binding) => {
      const discovery = cachedDiscovery(binding);
      return discovery
        ? [(async () => oidcProvider(binding, discovery, binding.alias === providerInPath ? await clientSecretFor(binding) : ""))()]
        : [];
    }),
  );
}

/**
 * One binding as next-auth's provider, from its cached discovery document
 * (lib/sso/discovery.ts): endpoints given explicitly instead of a
 * `wellKnown` URL, so starting a sign-in fetches nothing. What openid-client
 * would have read from the document itself (the token endpoint's client
 * authentication, the ID token's algorithm) is passed as client metadata.
 */
function oidcProvider(binding: IdpBinding, discovery: DiscoveryDocument, clientSecret: string): OAuthConfig<Record<string, unknown>> {
  return {
    id: binding.alias,
    name: binding.alias,
    type: "oauth",
    issuer: discovery.issuer,
    token: discovery.token_endpoint,
    jwks_endpoint: discovery.jwks_uri,
    client: clientMetadata(discovery),
    clientId: binding.clientId,
    clientSecret,
    authorization: {
      url: discovery.authorization_endpoint,
      params: {
        scope: binding.scopes.join(" "),
        ...(binding.requiredAcr.length > 0 ? { acr_values: binding.requiredAcr.join(" ") } : {}),
      },
    },
    checks: ["pkce", "state", "nonce"],
    idToken: true,
    // The ID token (nonce-checked) plus userinfo, where many IdPs put groups; userinfo's `sub` must match the token's.
    userinfo: {
      url: discovery.userinfo_endpoint,
      async request({ tokens, client }) {
        // next-auth hands over openid-client's TokenSet (lib/oauth/callback.js); its types say only the parameters.
        const tokenSet = tokens as unknown as TokenSet;
        const fromToken = tokenSet.claims();
        const fromUserinfo = tokenSet.access_token ? await client.userinfo(tokenSet).catch(() => ({})) : {};
        return { ...fromToken, ...fromUserinfo, sub: fromToken.sub };
      },
    },
    profile(profile) {
      return {
        id: String(profile.sub),
        email: typeof profile.email === "string" ? profile.email : null,
        name: typeof profile.name === "string" ? profile.name : null,
      };
    },
  };
}

/** Client authentication and ID token algorithm as openid-client picks them from a discovered issuer's metadata. */
function clientMetadata(discovery: DiscoveryDocument): Partial<ClientMetadata> {
  const methods = discovery.token_endpoint_auth_methods_supported;
  const algs = discovery.id_token_signing_alg_values_supported;
  return {
    ...(methods && !methods.includes("client_secret_basic") && methods.includes("client_secret_post")
      ? { token_endpoint_auth_method: "client_secret_post" }
      : {}),
    ...(algs && algs.length > 0 && !algs.includes("RS256") ? { id_token_signed_response_alg: algs[0] } : {}),
  };
}
