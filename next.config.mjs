import { readFileSync } from "node:fs";

// The same headers lib/http/security-headers.ts serves everywhere else. A
// TypeScript config would share the module itself, but loading one makes
// `next start` load the SWC compiler too: about 28 MB more resident memory.
const headers = JSON.parse(readFileSync(new URL("./lib/http/security-headers.json", import.meta.url), "utf8"));
const asList = (set) => Object.entries(set).map(([key, value]) => ({ key, value }));
const api = asList({ ...headers["every answer"], ...headers["api answers also"] });

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "@node-rs/argon2", "prom-client"],
  poweredByHeader: false,
  async headers() {
    return [
      // Static assets, which the proxy does not run for.
      { source: "/:path*", headers: asList(headers["every answer"]) },
      // The API's answers: fixed headers, no nonce, so the router adds them and
      // /v1 requests skip the proxy (proxy.ts), which costs a middleware run each.
      { source: "/v1", headers: api },
      { source: "/v1/:path*", headers: api },
    ];
  },
};

export default nextConfig;
