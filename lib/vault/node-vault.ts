import "server-only";
import NodeVault from "node-vault";
import {
  SecretStoreUnavailableError,
  SecretVersionConflictError,
  decodeMaterial,
  encodeMaterial,
  isSecretStoreUnavailable,
  type SecretMaterial,
  type SecretStore,
  type StoredSecret,
} from "./store";
import { VaultTokenKeeper, type VaultLogin } from "./auth";
import { vaultTransport } from "./transport";

/**
 * Vault / OpenBao KV-v2 through node-vault. node-vault has no KV-v2 helpers,
 * so this speaks the engine's paths directly: `<mount>/data/<path>` for
 * versions (with `options.cas`), `<mount>/metadata/<path>` for the whole key.
 * The token is VAULT_TOKEN as given, or one an AppRole or Kubernetes login
 * got and keeps renewed (auth.ts, through node-vault's approleLogin,
 * kubernetesLogin and tokenRenewSelf).
 */
export interface VaultConfig {
  addr: string;
  /** VAULT_TOKEN, used as given; or, with `login`, nothing. */
  token?: string;
  /** AppRole or Kubernetes: the driver logs in and keeps the token renewed (auth.ts). */
  login?: VaultLogin;
  namespace?: string;
  mount: string;
  /** How long a request may go without a byte from the engine before it counts as down; 10 s unless a test says. */
  requestTimeoutMs?: number;
}

const CAS_MISMATCH = "check-and-set parameter did not match the current version";
const REQUEST_TIMEOUT_MS = 10_000;

/** A node-vault client with this driver's transport; `token` undefined for the one that only logs in. */
function vaultClient(config: VaultConfig, token: string | undefined): NodeVault.client {
  return NodeVault({
    apiVersion: "v1",
    endpoint: config.addr,
    token,
    namespace: config.namespace,
    // Node's HTTP parser rejects Vault's LIST verb; GET ?list=true is equivalent.
    noCustomHTTPVerbs: true,
    // node-vault's own debug logger prints whole request bodies ("write %o"),
    // secrets included, whenever DEBUG names it. It gets no logger at all.
    debug: () => undefined,
    // A secrets engine that accepts the connection and never answers is down too, not a request to wait on forever.
    requestOptions: { timeout: config.requestTimeoutMs ?? REQUEST_TIMEOUT_MS },
    // Node's http with keep-alive instead of axios: a third of the CPU per request (transport.ts).
    "request-promise": vaultTransport,
  });
}

export class VaultSecretStore implements SecretStore {
  readonly driver = "vault" as const;
  private readonly client: NodeVault.client;
  private readonly keeper?: VaultTokenKeeper;

  constructor(private readonly config: VaultConfig) {
    this.client = vaultClient(config, config.login ? undefined : config.token);
    if (config.login) this.keeper = new VaultTokenKeeper(config.login, this.client, vaultClient(config, undefined));
  }

  /** Stops the token renewal timer, if any (the boot's stop()). */
  stop(): void {
    this.keeper?.stop();
  }

  /**
   * Sends one request with a valid token: a login method logs in first when
   * it has no token, and a request refused with 403 (the token expired or was
   * revoked) logs in again once and is sent once more. A static VAULT_TOKEN
   * is sent as it is: a 403 is then the engine refusing us (a 503 outage).
   */
  private async send<T>(request: () => Promise<T>): Promise<T> {
    if (!this.keeper) return request();
    const token = await this.keeper.ready();
    try {
      return await request();
    } catch (error) {
      if (statusOf(error) !== 403) throw error;
      await this.keeper.refused(token);
      return await request();
    }
  }

  async create(path: string, material: SecretMaterial) {
    return this.write(path, material, 0);
  }

  async update(path: string, material: SecretMaterial, expectedVersion: number) {
    return this.write(path, material, expectedVersion);
  }

  async read(path: string, version?: number): Promise<SecretMaterial | null> {
    const query = version ? `?version=${version}` : "";
    try {
      const response = await this.send(() => this.client.read(`${this.dataPath(path)}${query}`));
      return decodeMaterial(response?.data?.data);
    } catch (error) {
      // KV-v2 answers 404 both for a key that never existed and for a deleted version.
      if (statusOf(error) === 404) return null;
      throw unavailable("read", error);
    }
  }

  async softDelete(path: string) {
    try {
      await this.send(() => this.client.delete(this.dataPath(path)));
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw unavailable("soft-delete", error);
    }
  }

  async destroy(path: string) {
    try {
      await this.send(() => this.client.delete(`${this.config.mount}/metadata/${path}`));
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw unavailable("destroy", error);
    }
  }

  /**
   * Walks `<mount>/metadata/<prefix>` one LIST per folder (sent as
   * `GET ?list=1`, see the constructor) and reads each key's metadata for
   * its created_time and whether its current version is still readable.
   */
  async list(prefix: string): Promise<StoredSecret[]> {
    const found: StoredSecret[] = [];
    const walk = async (folder: string) => {
      let keys: unknown;
      try {
        keys = (await this.send(() => this.client.list(`${this.config.mount}/metadata/${folder}`)))?.data?.keys;
      } catch (error) {
        // KV-v2 answers an empty folder with 404.
        if (statusOf(error) === 404) return;
        throw unavailable("list", error);
      }
      for (const key of Array.isArray(keys) ? keys : []) {
        if (typeof key !== "string" || key.length === 0) continue;
        if (key.endsWith("/")) await walk(`${folder}${key}`);
        else {
          const secret = await this.describe(`${folder}${key}`);
          if (secret) found.push(secret);
        }
      }
    };
    await walk(prefix.endsWith("/") ? prefix : `${prefix}/`);
    return found;
  }

  private async describe(path: string): Promise<StoredSecret | null> {
    try {
      const metadata = (await this.send(() => this.client.read(`${this.config.mount}/metadata/${path}`)))?.data;
      const current = metadata?.versions?.[String(metadata?.current_version)];
      // deletion_time is "" until a delete, and may lie in the future (delete_version_after).
      const deletedAt = current?.deletion_time ? Date.parse(current.deletion_time) : NaN;
      return {
        path,
        // Vault's nanosecond RFC 3339 parses to the millisecond; a missing one is an Invalid Date, which the reconciler treats as young.
        createdAt: new Date(metadata?.created_time ?? NaN),
        live: Boolean(current) && current.destroyed !== true && !(deletedAt <= Date.now()),
      };
    } catch (error) {
      // Gone between the LIST and this read.
      if (statusOf(error) === 404) return null;
      throw unavailable("metadata read", error);
    }
  }

  private async write(path: string, material: SecretMaterial, cas: number) {
    try {
      const response = await this.send(() => this.client.write(this.dataPath(path), { data: encodeMaterial(material), options: { cas } }));
      const version = Number(response?.data?.version);
      if (!Number.isInteger(version) || version < 1) throw new SecretStoreUnavailableError("KV-v2 write returned no version");
      return { version };
    } catch (error) {
      if (isSecretStoreUnavailable(error)) throw error;
      if (statusOf(error) === 400 && messageOf(error).includes(CAS_MISMATCH)) throw new SecretVersionConflictError(path);
      throw unavailable("write", error);
    }
  }

  private dataPath(path: string) {
    return `${this.config.mount}/data/${path}`;
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { response?: { statusCode?: number } })?.response?.statusCode;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "";
}

/**
 * A fresh error with a fixed message and no `cause`: node-vault's error
 * keeps the answer it judged, and a transport's error may keep the request
 * (axios put the secret in `config.data`): neither travels anywhere a
 * logger could reach it.
 */
function unavailable(operation: string, error: unknown): SecretStoreUnavailableError {
  // A failed login (auth.ts) says what failed already.
  if (isSecretStoreUnavailable(error)) return error;
  const status = statusOf(error);
  // No answer (refused, reset, timed out), a server error, a redirect, or a token the engine refuses:
  // nothing the caller can fix, and it heals when the engine (or its configuration) is back.
  // A redirect (a standby that does not forward) is an address to fix, like a refused token.
  const engineDown = status === undefined || status < 400 || status >= 500 || status === 401 || status === 403;
  return new SecretStoreUnavailableError(
    `KV-v2 ${operation} failed${status ? ` with HTTP ${status}` : " (no response from the secrets engine)"}`,
    { engineDown },
  );
}
