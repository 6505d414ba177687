import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { poolStats, queryRows } from "@/lib/db/client";
import { log } from "@/lib/log";
import { metrics } from "./registry";

/**
 * The gauges read at scrape time: the pool's connections, and the product's
 * own figures, each from one cheap query (partial indexes cover the outbox's
 * and the sealer's rows). Every scrape asks anew, so a figure moves with the
 * event that moved it. A database that does not answer leaves the product's
 * gauges out of that scrape (the request and engine metrics still answer),
 * never a failed scrape.
 */
export function registerGauges(): void {
  const m = metrics();
  m.gauge(
    "plexsphere_database_pool_connections",
    "Database pool connections by state (in_use, idle) and requests waiting for one",
    ["state"],
    (g) => {
      g.reset();
      const pool = poolStats();
      if (!pool) return;
      g.set({ state: "in_use" }, pool.total - pool.idle);
      g.set({ state: "idle" }, pool.idle);
      g.set({ state: "waiting" }, pool.waiting);
    },
  );
  m.gauge(
    "plexsphere_secret_deletions_owed",
    "Secret deletions revokes and expiries still owe the secrets engine (the outbox backlog)",
    [],
    async (g) => {
      g.reset();
      const row = (
        await rows<{ owed: number }>(Prisma.sql`SELECT count(*)::int AS owed FROM secret_revocations WHERE completed_at IS NULL`)
      )?.[0];
      if (row) g.set(row.owed);
    },
  );
  m.gauge("plexsphere_audit_entries_unsealed", "Committed audit entries the sealer has not chained yet", [], async (g) => {
    g.reset();
    const row = (await rows<{ unsealed: number }>(Prisma.sql`SELECT count(*)::int AS unsealed FROM audit_entries WHERE seq IS NULL`))?.[0];
    if (row) g.set(row.unsealed);
  });
  m.gauge("plexsphere_audit_seal_lag_seconds", "Age of the oldest audit entry not sealed yet (0 when all are)", [], async (g) => {
    g.reset();
    const row = (
      await rows<{ lag: number }>(
        Prisma.sql`SELECT coalesce(extract(epoch FROM now() - min(at)), 0)::float8 AS lag FROM audit_entries WHERE seq IS NULL`,
      )
    )?.[0];
    if (row) g.set(Number(row.lag));
  });
  m.gauge("plexsphere_credentials", "Credentials by status (active, secret_missing, expired, revoked)", ["status"], async (g) => {
    g.reset();
    const byStatus = await rows<{ status: string; n: number }>(Prisma.sql`
      SELECT CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
                  WHEN expired_at IS NOT NULL OR expires_at <= now() THEN 'expired'
                  WHEN secret_missing_at IS NOT NULL THEN 'secret_missing'
                  ELSE 'active' END AS status, count(*)::int AS n
      FROM cloud_credentials GROUP BY 1`);
    if (!byStatus) return;
    const counts = new Map(byStatus.map((r) => [r.status, r.n]));
    for (const status of ["active", "secret_missing", "expired", "revoked"]) g.set({ status }, counts.get(status) ?? 0);
  });
  m.gauge("plexsphere_credentials_expiring", "Live credentials expiring within the window (7d, 30d)", ["within"], async (g) => {
    g.reset();
    const row = (
      await rows<{ d7: number; d30: number }>(Prisma.sql`
      SELECT count(*) FILTER (WHERE expires_at <= now() + interval '7 days')::int AS d7, count(*)::int AS d30
      FROM cloud_credentials
      WHERE revoked_at IS NULL AND expired_at IS NULL AND expires_at > now() AND expires_at <= now() + interval '30 days'`)
    )?.[0];
    if (!row) return;
    g.set({ within: "7d" }, row.d7);
    g.set({ within: "30d" }, row.d30);
  });
}

/** The rows, or none (logged) when the database does not answer. */
async function rows<Row>(query: Prisma.Sql): Promise<Row[] | undefined> {
  try {
    return await queryRows<Row>(query);
  } catch (error) {
    log.warn("metrics.gauge_failed", { error: error instanceof Error ? error.name : "unknown" });
    return undefined;
  }
}
