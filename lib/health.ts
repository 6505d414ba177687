import "server-only";
import { db } from "@/lib/db/client";
import { migrationNames } from "@/lib/db/migrate";
import type { Dependency } from "@/lib/unavailable";
import { secretStore } from "@/lib/vault";

// A dependency that takes longer than this to answer a probe counts as down.
const PROBE_TIMEOUT_MS = 3_000;

export interface HealthCheck {
  name: Dependency;
  status: "ok" | "down";
  detail: string;
}

/**
 * Probes every dependency now (nothing cached), so recovery shows on the
 * next call, without a restart. The contract's HealthStatus shape.
 */
export async function healthReport(): Promise<{ status: "ok" | "down"; checks: HealthCheck[] }> {
  const checks = await Promise.all([
    probe("database", async () => void (await db().$queryRaw`SELECT 1`)),
    // Reading an id-only path that never exists proves the engine answers and the token works.
    probe("secrets_engine", async () => void (await (await secretStore()).read("plexsphere/health-probe"))),
  ]);
  return { status: checks.some((c) => c.status === "down") ? "down" : "ok", checks };
}

/** /readyz's checks (lib/http/probes.ts): the dependencies as /v1/health probes them, and every shipped migration applied. */
export async function readinessChecks(): Promise<Array<Omit<HealthCheck, "name"> & { name: Dependency | "migrations" }>> {
  const [{ checks }, migrations] = await Promise.all([healthReport(), probe("migrations", migrationsApplied)]);
  return [...checks, migrations];
}

/** Says which shipped migration the database lacks (another instance may have rolled back, or a restore may be older). */
class PendingMigrations extends Error {}

let shipped: Promise<string[]> | undefined;

async function migrationsApplied(): Promise<void> {
  shipped ??= migrationNames();
  const rows = await db().$queryRaw<Array<{ migration_name: string }>>`
    SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((r) => r.migration_name));
  const pending = (await shipped).filter((name) => !applied.has(name));
  if (pending.length > 0) throw new PendingMigrations(`${pending.length} pending`);
}

async function probe<N extends string>(name: N, check: () => Promise<void>): Promise<Omit<HealthCheck, "name"> & { name: N }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("probe timed out")), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { name, status: "ok", detail: `reachable in ${Math.round(performance.now() - started)}ms` };
  } catch (error) {
    // The reason stays in the server log's domain; probes get only the state (or how many migrations are pending).
    return { name, status: "down", detail: error instanceof PendingMigrations ? error.message : "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}
