/**
 * `npm run idp:add`: adds an OpenID Connect identity provider from the
 * operator's shell, with the server's own configuration, for a deployment
 * nobody can sign in to yet. The client secret is read from standard input
 * (never an argument, which `ps` and shell history would keep):
 *
 *   printf %s "$CLIENT_SECRET" | npm run idp:add -- --alias acme \
 *     --issuer https://login.acme.example --client-id plexsphere \
 *     --jit '{"mode":"domains","domains":["acme.example"]}' --scopes "openid email profile groups"
 *
 * Prints the binding's id and the redirect URI to register at the IdP.
 */
import { parseArgs } from "node:util";
import { withConsoleDatabase } from "@/lib/db/console-database";
import { ConfigError, env } from "@/lib/env";
import { isDomainError } from "@/lib/errors";
import { createBindingAsOperator } from "@/lib/sso/bindings";
import { jitPolicyFromWire, jitPolicyWireSchema } from "@/lib/sso/schema";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      alias: { type: "string" },
      issuer: { type: "string" },
      "client-id": { type: "string" },
      jit: { type: "string", default: "invited" },
      scopes: { type: "string", default: "openid email profile" },
      "groups-claim": { type: "string" },
    },
  });
  const { issuer, "client-id": clientId } = values;
  if (!issuer || !clientId) {
    process.stderr.write(
      'usage: printf %s "$SECRET" | npm run idp:add -- --issuer URL --client-id ID [--alias NAME] [--jit allow|deny|invited|JSON] [--scopes "openid …"]\n',
    );
    return 1;
  }
  const jitRaw = values.jit.startsWith("{") ? JSON.parse(values.jit) : values.jit === "invited" ? { mode: "invited" } : values.jit;
  const jit = jitPolicyWireSchema.safeParse(jitRaw);
  if (!jit.success) {
    process.stderr.write('--jit must be allow, deny, invited or {"mode":"domains","domains":[…]}\n');
    return 1;
  }
  const secret = await readStdin();
  if (!secret) {
    process.stderr.write("pipe the client secret to standard input\n");
    return 1;
  }
  const binding = await withConsoleDatabase(() =>
    createBindingAsOperator({
      domainId: null,
      issuer,
      clientId,
      clientSecret: secret,
      alias: values.alias,
      scopes: values.scopes.split(/\s+/).filter(Boolean),
      ...(values["groups-claim"] ? { claimMappings: { groups: values["groups-claim"] } } : {}),
      jitPolicy: jitPolicyFromWire(jit.data),
    }),
  );
  const origin = (env().publicUrl ?? "http://localhost:3000").replace(/\/+$/, "");
  process.stdout.write(
    `${JSON.stringify({ id: binding.id, alias: binding.alias, redirect_uri: `${origin}/api/auth/callback/${binding.alias}` })}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const detail =
      error instanceof ConfigError || isDomainError(error) ? error.message : error instanceof Error ? error.name : "unknown error";
    process.stderr.write(`idp:add failed: ${detail}\n`);
    process.exit(1);
  },
);
