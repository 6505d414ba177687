/**
 * `npm run reconcile`: one reconcile pass (lib/reconcile) with the server's
 * own configuration, for an operator after a crash or a fault harness:
 *
 *   RECONCILE_GRACE_SECONDS=0 npm run reconcile
 *
 * Prints one JSON line of counts (never a path or a secret) and exits 0; 2
 * when another instance holds the reconcile lock, 1 on any failure. Grace 0
 * is only safe while no server is issuing: it may destroy a secret whose row
 * is about to commit.
 */
import { withConsoleDatabase } from "@/lib/db/console-database";
import { ConfigError, env } from "@/lib/env";
import { runReconcilePass, type ReconcileReport } from "@/lib/reconcile/service";

async function main(): Promise<number> {
  const config = env();
  const run = await withConsoleDatabase(() => runReconcilePass({ graceMs: config.reconcileGraceMs, lockUrl: config.databaseUrl }));
  if (run.busy) {
    process.stdout.write(JSON.stringify({ busy: true }) + "\n");
    return 2;
  }
  process.stdout.write(JSON.stringify({ busy: false, grace_seconds: config.reconcileGraceMs / 1000, ...snake(run.result) }) + "\n");
  return 0;
}

function snake(report: ReconcileReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A configuration error names variables and rules only; any other message could carry a connection string.
    const detail = error instanceof ConfigError ? error.message : error instanceof Error ? error.name : "unknown error";
    process.stderr.write(`reconcile failed: ${detail}\n`);
    process.exit(1);
  },
);
