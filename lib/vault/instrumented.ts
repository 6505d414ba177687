import { metrics } from "@/lib/metrics/registry";
import { isSecretStoreUnavailable, isSecretVersionConflict, type SecretStore } from "./store";

type Operation = "create" | "update" | "read" | "softDelete" | "destroy" | "list";

/**
 * The secret store as configured, with every call timed for /metrics
 * (plexsphere_secrets_engine_call_duration_seconds by operation and outcome)
 * and its failures counted. What the calls answer or throw is unchanged.
 */
export function instrumentSecretStore(store: SecretStore): SecretStore {
  const timed =
    <A extends unknown[], R>(operation: Operation, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      const m = metrics();
      let outcome = "ok";
      try {
        return await call(...args);
      } catch (error) {
        // "unavailable": the engine did not answer or would not serve us (a 503 for the caller); "error": anything else.
        outcome = isSecretVersionConflict(error)
          ? "conflict"
          : isSecretStoreUnavailable(error) && error.code === "secrets_engine_unavailable"
            ? "unavailable"
            : "error";
        if (outcome !== "conflict") m.secretsEngineErrors.inc({ operation });
        throw error;
      } finally {
        m.secretsEngineDuration.observe({ operation, outcome }, (performance.now() - started) / 1000);
      }
    };
  return {
    driver: store.driver,
    create: timed("create", (path, material) => store.create(path, material)),
    update: timed("update", (path, material, expectedVersion) => store.update(path, material, expectedVersion)),
    read: timed("read", (path, version) => store.read(path, version)),
    softDelete: timed("softDelete", (path) => store.softDelete(path)),
    destroy: timed("destroy", (path) => store.destroy(path)),
    list: timed("list", (prefix) => store.list(prefix)),
    ...(store.stop ? { stop: () => store.stop?.() } : {}),
  };
}
