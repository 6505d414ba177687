/**
 * Where Cloud Credential material lives. Two drivers implement it:
 * `vault` (node-vault against Vault/OpenBao KV-v2) and `embedded` (AES-256-GCM
 * rows in our own database). Both keep numbered versions with KV-v2's
 * semantics: check-and-set writes, soft delete of the latest version, and a
 * destroy that removes every version.
 */
export interface SecretMaterial {
  payload: Uint8Array;
  keyValues: Record<string, string>;
}

export interface SecretStore {
  readonly driver: "vault" | "embedded";
  /** Writes version 1; fails with SecretVersionConflictError if anything exists at `path` (cas 0). */
  create(path: string, material: SecretMaterial): Promise<{ version: number }>;
  /** Writes the next version if the current one is `expectedVersion` (cas N). */
  update(path: string, material: SecretMaterial, expectedVersion: number): Promise<{ version: number }>;
  /** The given (or latest) version; null when it never existed or was deleted. */
  read(path: string, version?: number): Promise<SecretMaterial | null>;
  /** Soft-deletes the latest version, as KV-v2's `DELETE data/<path>` does. */
  softDelete(path: string): Promise<void>;
  /** Removes every version and the metadata; used to undo a write whose row never committed. */
  destroy(path: string): Promise<void>;
}

export class SecretVersionConflictError extends Error {
  override name = "SecretVersionConflictError";
  constructor(readonly path: string) {
    super("the secret's current version does not match the expected one");
  }
}

/**
 * The store could not be reached or refused us; the message never carries
 * secret material. `code` is `secrets_engine_unavailable` when the engine did
 * not answer or would not serve us (connection failure, timeout, 5xx, a
 * token it refuses): a 503 worth retrying once it is back or fixed. Without
 * a code it answered with something we cannot use (a secret that fails
 * authentication, an unexpected shape): a fault, not an outage.
 */
export class SecretStoreUnavailableError extends Error {
  override name = "SecretStoreUnavailableError";
  readonly code?: "secrets_engine_unavailable";

  constructor(message: string, options: { engineDown?: boolean } = {}) {
    super(message);
    if (options.engineDown) this.code = "secrets_engine_unavailable";
  }
}

/**
 * A credential's secret path, built from ids only: KV-v2 shows paths and
 * custom metadata to anyone who may list or read, so no name goes in them.
 */
export function credentialSecretPath(cloudId: string, credentialId: string): string {
  return `plexsphere/clouds/${cloudId}/cloud-credentials/${credentialId}`;
}

/** What both drivers put in a version's data: base64 payload beside the key-values. */
export function encodeMaterial(material: SecretMaterial): { payload: string; key_values: Record<string, string> } {
  return { payload: Buffer.from(material.payload).toString("base64"), key_values: { ...material.keyValues } };
}

export function decodeMaterial(data: unknown): SecretMaterial {
  const d = data as { payload?: unknown; key_values?: unknown };
  if (typeof d?.payload !== "string") throw new SecretStoreUnavailableError("stored secret has an unexpected shape");
  const keyValues: Record<string, string> = {};
  if (d.key_values && typeof d.key_values === "object") {
    for (const [k, v] of Object.entries(d.key_values)) if (typeof v === "string") keyValues[k] = v;
  }
  return { payload: new Uint8Array(Buffer.from(d.payload, "base64")), keyValues };
}
