import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { EmbeddedSecretStore, loadOrCreateSecretsKey } from "./embedded";
import { instrumentSecretStore } from "./instrumented";
import { VaultSecretStore } from "./node-vault";
import type { SecretStore } from "./store";

export * from "./store";

const state = globalThis as unknown as { __plexsphereSecretStore?: Promise<SecretStore> };

/** The configured store: Vault/OpenBao when VAULT_ADDR is set, the embedded one otherwise; timed for /metrics. */
export function secretStore(): Promise<SecretStore> {
  state.__plexsphereSecretStore ??= (async () => {
    const config = env();
    if (config.vault) return instrumentSecretStore(new VaultSecretStore(config.vault));
    const key = await loadOrCreateSecretsKey({ secretsKey: config.secretsKey, dataDir: config.dataDir });
    return instrumentSecretStore(new EmbeddedSecretStore(db(), key));
  })();
  return state.__plexsphereSecretStore;
}
