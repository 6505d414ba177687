import "server-only";
import { db } from "@/lib/db/client";
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

async function probe(name: Dependency, check: () => Promise<void>): Promise<HealthCheck> {
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
  } catch {
    // The reason stays in the server log's domain; probes get only the state.
    return { name, status: "down", detail: "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}
