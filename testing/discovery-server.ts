import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server on loopback publishing OpenID Connect discovery
 * documents, one per issuer path: GET /<name>/.well-known/openid-configuration
 * answers the document of issuer `<base>/<name>`. Tests create as many
 * providers as they like, count what was fetched, and stop it to play an
 * IdP that is down.
 */
export interface DiscoveryServer {
  base: string;
  /** Paths requested so far. */
  requests: string[];
  issuer(name: string): string;
  stop(): Promise<void>;
}

export async function startDiscoveryServer(): Promise<DiscoveryServer> {
  const requests: string[] = [];
  let base = "";
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const match = /^\/([a-z0-9-]+)\/\.well-known\/openid-configuration$/.exec(request.url ?? "");
    if (!match) return void response.writeHead(404).end();
    const issuer = `${base}/${match[1]}`;
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code"],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    issuer: (name) => `${base}/${name}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
