import "server-only";
import path from "node:path";
import { connectDatabase, disconnectDatabase } from "@/lib/db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { ADVISORY_LOCKS, trySessionLock, withSessionLock } from "@/lib/db/lock";
import { migrate } from "@/lib/db/migrate";
import { configureAuthOrigin, env } from "@/lib/env";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";
import { seedDemo } from "@/lib/seed/demo";
import { sweepExpiredCredentials } from "@/lib/credentials/lifecycle";
import { completePendingSecretRevocations } from "@/lib/credentials/revocations";
import { startReconciler } from "@/lib/reconcile/service";
import { sealAuditChain } from "@/lib/audit/chain";
import { runReminderPass } from "@/lib/reminders/service";
import { runPurges } from "@/lib/retention/service";
import { refreshDiscoveries } from "@/lib/sso/discovery";
import { secretStore } from "@/lib/vault";
import { assertLoginFilesReadable } from "@/lib/vault/auth";

/**
 * Runs `pass` now and on every tick of `intervalMs`, one at a time in this
 * process (a tick that finds the last pass still running skips it; other
 * instances share the rows safely, each pass says how). What a pass did is
 * logged by `report`; a failure is logged as `failed` with the error's name
 * only, and the next tick tries again.
 */
function startPeriodicPass<T>(
  intervalMs: number,
  pass: () => Promise<T>,
  outcome: { report: (result: T) => void; failed: string },
): NodeJS.Timeout {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    pass()
      .then(outcome.report)
      .catch((error) =>
        // The class and its code (e.g. Prisma's P2028), never the message: it may quote a row.
        log.error(outcome.failed, {
          error: error instanceof Error ? error.name : "unknown",
          ...(typeof (error as { code?: unknown })?.code === "string" ? { code: (error as { code: string }).code } : {}),
        }),
      )
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
    report: ({ completed, pending }) =>
      completed.length + pending.length > 0 && log.info("secret_revocation.pass", { completed: completed.length, pending: pending.length }),
    failed: "secret_revocation.pass_failed",
  });

/** How often committed audit entries are sealed into the hash chain (verify also seals first). */
const AUDIT_SEAL_INTERVAL_MS = 10_000;

/** Seals the audit trail's new entries into its hash chain (lib/audit/chain.ts). */
const startAuditSealer = (intervalMs: number) =>
  startPeriodicPass(intervalMs, sealAuditChain, { report: () => {}, failed: "audit_chain.seal_failed" });

/**
 * The daily expiry digests; each (Cloud, recipient, day) is claimed in the
 * database, so ticks and instances never send twice, and a pass before
 * REMINDER_HOUR sends nothing.
 */
const startReminders = (intervalMs: number) =>
  startPeriodicPass(intervalMs, () => runReminderPass(), {
    report: (r) => {
      metrics().reminderSends.inc(r.sent);
      metrics().reminderFailures.inc(r.failed);
      if (r.sent + r.failed > 0) log.info("reminder.pass", { sent: r.sent, failed: r.failed, clouds: r.clouds });
    },
    failed: "reminder.pass_failed",
  });

/** Purges dead sessions, device codes and set-password links (lib/retention); instances purge side by side (SKIP LOCKED). */
const startPurges = (intervalMs: number) =>
  startPeriodicPass(intervalMs, () => runPurges(), {
    report: (r) =>
      r.sessions + r.deviceCodes + r.passwordSetupTokens > 0 &&
      log.info("purge.pass", { sessions: r.sessions, device_codes: r.deviceCodes, password_setup_tokens: r.passwordSetupTokens }),
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
  startPeriodicPass(
    intervalMs,
    async () =>
      lockUrl
        ? trySessionLock(lockUrl, ADVISORY_LOCKS.idpDiscovery, () => refreshDiscoveries())
        : { busy: false as const, result: await refreshDiscoveries() },
    {
      report: (run) =>
        !run.busy &&
        run.result.failed > 0 &&
        log.warn("idp_binding.discovery_pass", { refreshed: run.result.refreshed, failed: run.result.failed }),
      failed: "idp_binding.discovery_pass_failed",
    },
  );

/** What a finished boot leaves running, for the shutdown to stop (lib/http/shutdown.ts). */
export interface Booted {
  graceMs: number;
  /** How long /readyz says 503 before the listener closes (READINESS_DRAIN_SECONDS). */
  readinessDrainMs: number;
  /** Stops the background work first, so no pass starts on a closing pool, then the pools and the embedded database. */
  stop(): Promise<void>;
}

/**
 * Set on the process, not in this module: the server entry's bundle and
 * Next's each hold their own copy of lib/, and instrumentation.ts (Next's
 * copy) must not boot a second time under the entry (server.ts).
 */
const BOOTED = Symbol.for("plexsphere.boot");
const bootState = globalThis as unknown as { [BOOTED]?: Promise<Booted> };

/**
 * Everything the server needs before its first request: configuration
 * checked, the database found (or the embedded one started), migrations
 * applied, the demo cast seeded when asked for, the secret store ready and
 * the background passes started. Once per process: the server entry calls
 * it before listening, instrumentation.ts under `next dev`.
 *
 * A boot that cannot finish ends the process with one log line and exit
 * code 1: serving on would make every page a 500, and a supervisor would
 * never learn that it should restart us.
 */
export function boot(): Promise<Booted> {
  bootState[BOOTED] ??= start().catch((error: unknown) => {
    log.error("boot.failed", { error: describeBootError(error) });
    process.exit(1);
  });
  return bootState[BOOTED];
}

/** Whether this process has booted (or is booting) already, from whichever copy of lib/. */
export function bootStarted(): boolean {
  return bootState[BOOTED] !== undefined;
}

async function start(): Promise<Booted> {
  const config = env();
  configureAuthOrigin(config);
  // A secret-id or service-account token file that is not there is a deployment to fix: refused now, not a 503 on every request.
  await assertLoginFilesReadable(config.vault?.login);
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
    const timers = [
      startExpirySweeper(config.expirySweepIntervalMs),
      startRevocationOutbox(config.outboxIntervalMs),
      startReconciler({ intervalMs: config.reconcileIntervalMs, graceMs: config.reconcileGraceMs, lockUrl: config.databaseUrl }),
      startAuditSealer(AUDIT_SEAL_INTERVAL_MS),
      startReminders(config.reminderIntervalMs),
      startPurges(config.purgeIntervalMs),
      startDiscoveryRefresh(IDP_DISCOVERY_REFRESH_INTERVAL_MS, config.databaseUrl),
    ];
    log.info("boot.ready", {
      mode: config.mode,
      database: embedded ? "embedded" : "postgresql",
      secret_store: store.driver,
      migrations_applied: applied.length,
      demo_seed: config.seedDemo,
      // Said at every start: reminder webhooks may then reach this console's own network.
      ...(config.webhookAllowPrivateAddresses ? { webhook_private_addresses: "allowed" } : {}),
    });
    return {
      graceMs: config.shutdownGraceMs,
      readinessDrainMs: config.readinessDrainMs,
      async stop() {
        for (const timer of timers) clearInterval(timer);
        store.stop?.();
        await disconnectDatabase().catch(() => log.warn("shutdown.database_disconnect_failed"));
        await embedded?.stop().catch(() => log.warn("shutdown.embedded_database_stop_failed"));
      },
    };
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
