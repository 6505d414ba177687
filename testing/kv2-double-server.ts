/**
 * Runs the KV-v2 test double (testing/kv2-double.ts) as its own process, for
 * the e2e run:
 *
 *   npx tsx testing/kv2-double-server.ts --port 8201 --token T [--mount secret] [--host 127.0.0.1]
 *     [--role-id R --secret-id S] [--k8s-role K --k8s-jwt-file F] [--ttl SECONDS] [--max-ttl SECONDS]
 *
 * --role-id/--secret-id enable AppRole login, --k8s-role/--k8s-jwt-file the
 * Kubernetes stand-in (the JWT is the file's content), and --ttl/--max-ttl
 * set the lifetime of the tokens those logins hand out (kv2-double.ts).
 *
 * Prints one line, `kv2-double listening on <url>`, once it accepts requests,
 * and stops cleanly on SIGTERM or SIGINT. Without --token it makes one up and
 * prints it on stderr (never on stdout, which carries only the line above).
 *
 * Signal the process group, or start it as `node node_modules/.bin/tsx ...`
 * and signal that process: `npx` (npm exec) runs tsx under `sh -c` and does
 * not forward SIGTERM, so killing the npx pid alone orphans the server.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startKv2Double } from "./kv2-double";

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8201" },
      host: { type: "string", default: "127.0.0.1" },
      token: { type: "string" },
      mount: { type: "string", default: "secret" },
      "role-id": { type: "string" },
      "secret-id": { type: "string" },
      "k8s-role": { type: "string" },
      "k8s-jwt-file": { type: "string" },
      ttl: { type: "string" },
      "max-ttl": { type: "string" },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not ${values.port}`);

  const seconds = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number of seconds, not ${value}`);
    return n;
  };
  if (Boolean(values["role-id"]) !== Boolean(values["secret-id"])) throw new Error("--role-id and --secret-id go together");
  if (Boolean(values["k8s-role"]) !== Boolean(values["k8s-jwt-file"])) throw new Error("--k8s-role and --k8s-jwt-file go together");
  const auth =
    values["role-id"] || values["k8s-role"]
      ? {
          ...(values["role-id"] ? { approle: { roleId: values["role-id"], secretId: values["secret-id"] as string } } : {}),
          ...(values["k8s-role"]
            ? { kubernetesStandIn: { role: values["k8s-role"], jwt: readFileSync(values["k8s-jwt-file"] as string, "utf8").trim() } }
            : {}),
          ttlSeconds: seconds("ttl", values.ttl),
          maxTtlSeconds: seconds("max-ttl", values["max-ttl"]),
        }
      : undefined;
  const double = await startKv2Double({ port, host: values.host, token: values.token, mount: values.mount, auth });
  if (!values.token) process.stderr.write(`kv2-double token: ${double.token}\n`);
  process.stdout.write(`kv2-double listening on ${double.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    double.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`kv2-double: error while stopping on ${signal}: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`kv2-double: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
