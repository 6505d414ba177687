import "server-only";
import path from "node:path";
import { connectDatabase } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { configureAuthOrigin, env } from "@/lib/env";
import { log } from "@/lib/log";
import { seedDemo } from "@/lib/seed/demo";
import { sweepExpiredCredentials } from "@/lib/credentials/lifecycle";
import { startReconciler } from "@/lib/reconcile/service";
import { secretStore } from "@/lib/vault";

/** Stamps expired credentials now and on every tick; a failed sweep is logged and retried on the next one. */
function startExpirySweeper(intervalMs: number) {
  const sweep = () =>
    sweepExpiredCredentials()
      .then((ids) => ids.length > 0 && log.info("cloud_credential.expired", { count: ids.length }))
      .catch((error) => log.error("sweeper.failed", { error: error instanceof Error ? error.name : "unknown" }));
  void sweep();
  setInterval(sweep, intervalMs).unref();
}

/**
 * Everything the server needs before its first request: configuration
 * checked, the database found (or the embedded one started), migrations
 * applied, the demo cast seeded when asked for, and the secret store ready.
 * Called once from instrumentation.ts.
 */
export async function boot(): Promise<void> {
  const config = env();
  configureAuthOrigin(config);
  let url = config.databaseUrl;
  const embedded = !url;
  if (!url) {
    const database = await startEmbeddedDatabase({
      dataDir: path.resolve(config.dataDir, "pglite"),
      socketDir: path.resolve(config.dataDir),
    });
    url = database.url;
    const stop = () => void database.stop().finally(() => process.exit(0));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  }
  const { applied } = await migrate(url);
  const client = connectDatabase(url, { embedded });
  if (config.seedDemo) await seedDemo(client);
  const store = await secretStore();
  startExpirySweeper(config.expirySweepIntervalMs);
  startReconciler({ intervalMs: config.reconcileIntervalMs, graceMs: config.reconcileGraceMs, lockUrl: config.databaseUrl });
  log.info("boot.ready", {
    mode: config.mode,
    database: embedded ? "embedded" : "postgresql",
    secret_store: store.driver,
    migrations_applied: applied.length,
    demo_seed: config.seedDemo,
  });
}
