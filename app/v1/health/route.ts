import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { secretStore } from "@/lib/vault";

/** 200 with every check ok, 503 when one is down; probes need only the status code. */
export const GET = publicRoute(async () => {
  const checks = await Promise.all([
    timed("database", async () => void (await db().$queryRaw`SELECT 1`)),
    // Reading an id-only path that never exists proves the engine answers and the token works.
    timed("secret_store", async () => void (await (await secretStore()).read("plexsphere/health-probe"))),
  ]);
  const down = checks.some((c) => c.status === "down");
  return json({ status: down ? "down" : "ok", checks }, down ? 503 : 200);
});

async function timed(name: string, probe: () => Promise<void>) {
  const started = performance.now();
  try {
    await probe();
    return { name, status: "ok" as const, detail: `reachable in ${Math.round(performance.now() - started)}ms` };
  } catch {
    // The reason stays in the server log's domain; probes get only the state.
    return { name, status: "down" as const, detail: "unreachable" };
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
