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

/** What the reconciler needs to know about one stored secret; never its material. */
export interface StoredSecret {
  path: string;
  /** When its first version was written, by the engine's clock. */
  createdAt: Date;
  /** The latest version can be read: neither soft-deleted nor destroyed. */
  live: boolean;
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
  /** Every secret under `prefix` (a folder ending in "/"), at any depth, with metadata only. */
  list(prefix: string): Promise<StoredSecret[]>;
  /** Stops what the store runs in the background (the vault driver's token renewal); the boot's stop() calls it. */
  stop?(): void;
}

/**
 * The store instance is made once per process and shared by every bundle
 * Next builds (lib/vault/index.ts), so its errors may come from another
 * copy of this module: callers test them with the `is…` functions below,
 * which check a Symbol.for brand, never with `instanceof`.
 */
const VERSION_CONFLICT = Symbol.for("plexsphere.SecretVersionConflictError");
const STORE_UNAVAILABLE = Symbol.for("plexsphere.SecretStoreUnavailableError");

export class SecretVersionConflictError extends Error {
  override name = "SecretVersionConflictError";
  readonly [VERSION_CONFLICT] = true;
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
  readonly [STORE_UNAVAILABLE] = true;
  readonly code?: "secrets_engine_unavailable";

  constructor(message: string, options: { engineDown?: boolean } = {}) {
    super(message);
    if (options.engineDown) this.code = "secrets_engine_unavailable";
  }
}

export function isSecretVersionConflict(error: unknown): error is SecretVersionConflictError {
  return typeof error === "object" && error !== null && (error as { [VERSION_CONFLICT]?: unknown })[VERSION_CONFLICT] === true;
}

export function isSecretStoreUnavailable(error: unknown): error is SecretStoreUnavailableError {
  return typeof error === "object" && error !== null && (error as { [STORE_UNAVAILABLE]?: unknown })[STORE_UNAVAILABLE] === true;
}

/** The folder under which every credential secret of this console lives. */
export const CREDENTIAL_SECRETS_ROOT = "plexsphere/clouds/";

/**
 * A credential's secret path, built from ids only: KV-v2 shows paths and
 * custom metadata to anyone who may list or read, so no name goes in them.
 */
export function credentialSecretPath(cloudId: string, credentialId: string): string {
  return `${CREDENTIAL_SECRETS_ROOT}${cloudId}/cloud-credentials/${credentialId}`;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const CREDENTIAL_PATH = new RegExp(`^plexsphere/clouds/(${UUID})/cloud-credentials/(${UUID})$`);

/** The ids a credential secret path was built from; undefined for any other path. */
export function parseCredentialSecretPath(path: string): { cloudId: string; credentialId: string } | undefined {
  const match = CREDENTIAL_PATH.exec(path);
  return match ? { cloudId: match[1], credentialId: match[2] } : undefined;
}

/** What both drivers put in a version's data: base64 payload beside the key-values. */
export function encodeMaterial(material: SecretMaterial): { payload: string; key_values: Record<string, string> } {
  return { payload: Buffer.from(material.payload).toString("base64"), key_values: { ...material.keyValues } };
}

export function decodeMaterial(data: unknown): SecretMaterial {
  const d = data as { payload?: unknown; key_values?: unknown };
  if (typeof d?.payload !== "string") throw new SecretStoreUnavailableError("stored secret has an unexpected shape");
  // fromEntries defines each key as data, so even a stored "__proto__" stays a key, not a prototype.
  const keyValues: Record<string, string> =
    d.key_values && typeof d.key_values === "object"
      ? Object.fromEntries(Object.entries(d.key_values).filter(([, v]) => typeof v === "string"))
      : {};
  return { payload: new Uint8Array(Buffer.from(d.payload, "base64")), keyValues };
}
