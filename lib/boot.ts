import "server-only";
import path from "node:path";
import { connectDatabase, disconnectDatabase } from "@/lib/db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { ADVISORY_LOCKS, trySessionLock, withSessionLock } from "@/lib/db/lock";
import { migrate } from "@/lib/db/migrate";
import { configureAuthOrigin, env } from "@/lib/env";
import { log } from "@/lib/log";
import { seedDemo } from "@/lib/seed/demo";
import { sweepExpiredCredentials } from "@/lib/credentials/lifecycle";
import { completePendingSecretRevocations } from "@/lib/credentials/revocations";
import { startReconciler } from "@/lib/reconcile/service";
import { sealAuditChain } from "@/lib/audit/chain";
import { runReminderPass } from "@/lib/reminders/service";
import { runPurges } from "@/lib/retention/service";
import { refreshDiscoveries } from "@/lib/sso/discovery";
import { secretStore } from "@/lib/vault";

/**
 * Runs `pass` now and on every tick of `intervalMs`, one at a time in this
 * process (a tick that finds the last pass still running skips it; other
 * instances share the rows safely, each pass says how). What a pass did is
 * logged by `report`; a failure is logged as `failed` with the error's name
 * only, and the next tick tries again.
 */
function startPeriodicPass<T>(intervalMs: number, pass: () => Promise<T>, outcome: { report: (result: T) => void; failed: string }): NodeJS.Timeout {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    pass()
      .then(outcome.report)
      .catch((error) => log.error(outcome.failed, { error: error instanceof Error ? error.name : "unknown" }))
      .finally(() => (running = false));
  };
  tick();
  return setInterval(tick, intervalMs).unref();
}

/** Stamps expired credentials (lib/credentials/lifecycle.ts: one set-based statement per tick). */
const startExpirySweeper = (intervalMs: number) =>
  startPeriodicPass(intervalMs, sweepExpiredCredentials, {
    report: (ids) => ids.length > 0 && log.info("cloud_credential.expired", { count: ids.length }),
    failed: "sweeper.failed",
  });

/** Retries the secret deletions that revokes and expiries still owe the engine. */
const startRevocationOutbox = (intervalMs: number) =>
  startPeriodicPass(intervalMs, completePendingSecretRevocations, {
    report: ({ completed, pending }) => completed.length + pending.length > 0 && log.info("secret_revocation.pass", { completed: completed.length, pending: pending.length }),
    failed: "secret_revocation.pass_failed",
  });

/** How often committed audit entries are sealed into the hash chain (verify also seals first). */
const AUDIT_SEAL_INTERVAL_MS = 10_000;

/** Seals the audit trail's new entries into its hash chain (lib/audit/chain.ts). */
const startAuditSealer = (intervalMs: number) => startPeriodicPass(intervalMs, sealAuditChain, { report: () => {}, failed: "audit_chain.seal_failed" });

/**
 * The daily expiry digests; each (Cloud, recipient, day) is claimed in the
 * database, so ticks and instances never send twice, and a pass before
 * REMINDER_HOUR sends nothing.
 */
const startReminders = (intervalMs: number) =>
  startPeriodicPass(intervalMs, () => runReminderPass(), {
    report: (r) => r.sent + r.failed > 0 && log.info("reminder.pass", { sent: r.sent, failed: r.failed, clouds: r.clouds }),
    failed: "reminder.pass_failed",
  });

/** Purges dead sessions, device codes and set-password links (lib/retention); instances purge side by side (SKIP LOCKED). */
const startPurges = (intervalMs: number) =>
  startPeriodicPass(intervalMs, () => runPurges(), {
    report: (r) => r.sessions + r.deviceCodes + r.passwordSetupTokens > 0 && log.info("purge.pass", { sessions: r.sessions, device_codes: r.deviceCodes, password_setup_tokens: r.passwordSetupTokens }),
    failed: "purge.pass_failed",
  });

/** How often the IdPs' discovery documents are fetched again (and once at boot, which fills bindings saved before the cache existed). */
const IDP_DISCOVERY_REFRESH_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * Refreshes the cached discovery documents sign-in reads (lib/sso/discovery.ts).
 * On a shared database one instance refreshes per tick (a session lock, tried, not waited for);
 * the embedded database has one process, which is the whole lock.
 */
const startDiscoveryRefresh = (intervalMs: number, lockUrl: string | undefined) =>
  startPeriodicPass(intervalMs, async () => (lockUrl ? trySessionLock(lockUrl, ADVISORY_LOCKS.idpDiscovery, () => refreshDiscoveries()) : { busy: false as const, result: await refreshDiscoveries() }), {
    report: (run) => !run.busy && run.result.failed > 0 && log.warn("idp_binding.discovery_pass", { refreshed: run.result.refreshed, failed: run.result.failed }),
    failed: "idp_binding.discovery_pass_failed",
  });

/**
 * Everything the server needs before its first request: configuration
 * checked, the database found (or the embedded one started), migrations
 * applied, the demo cast seeded when asked for, and the secret store ready.
 * Called once from instrumentation.ts.
 *
 * A boot that cannot finish ends the process with one log line and exit
 * code 1: Next would otherwise log the rejection and go on serving, every
 * page a 500, and a supervisor would never learn that it should restart us.
 */
export async function boot(): Promise<void> {
  try {
    await start();
  } catch (error) {
    log.error("boot.failed", { error: describeBootError(error) });
    process.exit(1);
  }
}

async function start(): Promise<void> {
  const config = env();
  configureAuthOrigin(config);
  let url = config.databaseUrl;
  let embedded: EmbeddedDatabase | undefined;
  if (!url) {
    embedded = await startEmbeddedDatabase({
      dataDir: path.resolve(config.dataDir, "pglite"),
      socketDir: path.resolve(config.dataDir),
    });
    url = embedded.url;
  }
  try {
    const databaseUrl = url;
    // Several instances may start on one empty database at once: they take turns.
    const applied = await withSessionLock(databaseUrl, ADVISORY_LOCKS.boot, async () => {
      const { applied } = await migrate(databaseUrl);
      const client = connectDatabase(databaseUrl, { embedded: Boolean(embedded), preparedStatements: config.preparedStatements });
      if (config.seedDemo) await seedDemo(client);
      return applied;
    });
    const store = await secretStore();
    // Background work that stops first on shutdown, so no pass starts on a closing pool.
    const timers = [
      startExpirySweeper(config.expirySweepIntervalMs),
      startRevocationOutbox(config.outboxIntervalMs),
      startReconciler({ intervalMs: config.reconcileIntervalMs, graceMs: config.reconcileGraceMs, lockUrl: config.databaseUrl }),
      startAuditSealer(AUDIT_SEAL_INTERVAL_MS),
      startReminders(config.reminderIntervalMs),
      startPurges(config.purgeIntervalMs),
      startDiscoveryRefresh(IDP_DISCOVERY_REFRESH_INTERVAL_MS, config.databaseUrl),
    ];
    shutDownGracefully({ graceMs: config.shutdownGraceMs, timers, embedded });
    log.info("boot.ready", {
      mode: config.mode,
      database: embedded ? "embedded" : "postgresql",
      secret_store: store.driver,
      migrations_applied: applied.length,
      demo_seed: config.seedDemo,
      // Said at every start: reminder webhooks may then reach this console's own network.
      ...(config.webhookAllowPrivateAddresses ? { webhook_private_addresses: "allowed" } : {}),
    });
  } catch (error) {
    await disconnectDatabase().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw error;
  }
}

/** One line, names and rules only (a ConfigError lists variables, never their values). */
function describeBootError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s*\n\s*/g, "; ").slice(0, 500);
}

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish (at most
 * SHUTDOWN_GRACE_SECONDS), then close the database pool and the embedded
 * database, and exit 0.
 *
 * `next start` installs its own handler before instrumentation runs (unless
 * NEXT_MANUAL_SIG_HANDLE is set): it closes the HTTP listener, waits for open
 * requests, and then calls process.exit(128 + signal) straight away, which
 * would cut PGlite off mid-write and leave the pools open. We keep Next's
 * handler for the draining, which only Next can do (it owns the listener),
 * and take over at the point where it would exit.
 */
function shutDownGracefully(options: { graceMs: number; timers: NodeJS.Timeout[]; embedded?: EmbeddedDatabase }) {
  let started = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const nextHandlers = process.listeners(signal);
    for (const handler of nextHandlers) process.off(signal, handler);
    process.on(signal, () => {
      if (started) return;
      started = true;
      void shutDown(signal, nextHandlers, options);
    });
  }
}

async function shutDown(
  signal: NodeJS.Signals,
  nextHandlers: NodeJS.SignalsListener[],
  options: { graceMs: number; timers: NodeJS.Timeout[]; embedded?: EmbeddedDatabase },
) {
  const exit = process.exit.bind(process);
  log.info("shutdown.started", { signal, grace_seconds: options.graceMs / 1000 });
  setTimeout(() => {
    log.error("shutdown.grace_exceeded", { grace_seconds: options.graceMs / 1000 });
    exit(1);
  }, options.graceMs).unref();
  for (const timer of options.timers) clearInterval(timer);
  await new Promise<void>((drained) => {
    if (nextHandlers.length === 0) return drained(); // NEXT_MANUAL_SIG_HANDLE: whoever set it drains
    // Next's cleanup ends in process.exit once the listener is closed and its requests are done.
    process.exit = (() => {
      process.exit = exit;
      drained();
    }) as typeof process.exit;
    for (const handler of nextHandlers) handler(signal);
  });
  await disconnectDatabase().catch(() => log.warn("shutdown.database_disconnect_failed"));
  await options.embedded?.stop().catch(() => log.warn("shutdown.embedded_database_stop_failed"));
  log.info("shutdown.complete");
  exit(0);
}
