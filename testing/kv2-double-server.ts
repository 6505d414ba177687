/**
 * Runs the KV-v2 test double (testing/kv2-double.ts) as its own process, for
 * the e2e run:
 *
 *   npx tsx testing/kv2-double-server.ts --port 8201 --token T [--mount secret] [--host 127.0.0.1]
 *
 * Prints one line, `kv2-double listening on <url>`, once it accepts requests,
 * and stops cleanly on SIGTERM or SIGINT. Without --token it makes one up and
 * prints it on stderr (never on stdout, which carries only the line above).
 *
 * Signal the process group, or start it as `node node_modules/.bin/tsx ...`
 * and signal that process: `npx` (npm exec) runs tsx under `sh -c` and does
 * not forward SIGTERM, so killing the npx pid alone orphans the server.
 */
import { parseArgs } from "node:util";
import { startKv2Double } from "./kv2-double";

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8201" },
      host: { type: "string", default: "127.0.0.1" },
      token: { type: "string" },
      mount: { type: "string", default: "secret" },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not ${values.port}`);

  const double = await startKv2Double({ port, host: values.host, token: values.token, mount: values.mount });
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
