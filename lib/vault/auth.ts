import "server-only";
import { readFile } from "node:fs/promises";
import type NodeVault from "node-vault";
import { ConfigError } from "@/lib/env";
import { log } from "@/lib/log";
import { SecretStoreUnavailableError, isSecretStoreUnavailable } from "./store";

/**
 * How the console gets its Vault / OpenBao token (lib/env.ts reads it from
 * the environment):
 * - `token`: VAULT_TOKEN, used as given and never renewed: a token with a
 *   TTL belongs to whoever issued it (a Vault Agent, an operator).
 * - `approle`: VAULT_ROLE_ID with VAULT_SECRET_ID or VAULT_SECRET_ID_FILE.
 * - `kubernetes`: VAULT_K8S_ROLE and the pod's service-account JWT file.
 * A login method's token is renewed (renew-self) at two thirds of its
 * lease and the login redone when it can no longer be renewed.
 */
export type VaultLogin =
  | { method: "approle"; mount: string; roleId: string; secretId?: string; secretIdFile?: string }
  | { method: "kubernetes"; mount: string; role: string; jwtFile: string };

/** The files a login reads; each must be readable at boot (a missing mount of the secret is a deployment to fix, not an outage). */
export async function assertLoginFilesReadable(login: VaultLogin | undefined): Promise<void> {
  const files: [string, string | undefined][] = login
    ? login.method === "approle"
      ? [["VAULT_SECRET_ID_FILE", login.secretIdFile]]
      : [["VAULT_K8S_JWT_FILE", login.jwtFile]]
    : [];
  for (const [name, file] of files) {
    if (!file) continue;
    let content: string;
    try {
      content = await readFile(file, "utf8");
    } catch (error) {
      throw new ConfigError(`Invalid configuration:\n  ${name}: cannot read ${file} (${(error as { code?: string }).code ?? "error"})`);
    }
    if (content.trim() === "") throw new ConfigError(`Invalid configuration:\n  ${name}: ${file} is empty`);
  }
}

/** What a login or a renewal answered, in `auth`. */
interface AuthAnswer {
  client_token?: unknown;
  lease_duration?: unknown;
  renewable?: unknown;
}

/** The fraction of a lease after which the token is renewed, as Vault Agent does. */
const RENEW_AT = 2 / 3;
/** After a failed login or renewal in the background, the next try; requests log in by themselves meanwhile. */
const RETRY_MS = 5_000;

/**
 * Keeps `client.token` valid for a login method: the first request logs in,
 * a timer renews the token at two thirds of its lease, and logs in again
 * when renewal fails or the token's max TTL is near. At most one login or
 * renewal is in flight; a request whose token was refused (403) waits for
 * it, or starts one, and is retried once (VaultSecretStore).
 *
 * Logins go through a second client that carries no token, so an expired
 * token is never sent along with a login, and a renewal's answer can never
 * put an old token back after a login replaced it.
 */
export class VaultTokenKeeper {
  private inFlight?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** The lease a fresh login gives; a renewal answering less has met the max TTL. */
  private fullLeaseSeconds = 0;

  constructor(
    private readonly login: VaultLogin,
    /** Sends the KV-v2 requests; its `token` is what this keeps valid. */
    private readonly client: NodeVault.client,
    /** Sends the logins only; it has no token of its own. */
    private readonly loginClient: NodeVault.client,
  ) {
    // node-vault falls back to process.env.VAULT_TOKEN for a client made without a token: neither may start with one.
    client.token = "";
    loginClient.token = "";
  }

  /** A token to send: logs in first if there is none yet. Throws SecretStoreUnavailableError when the login fails. */
  async ready(): Promise<string> {
    if (!this.client.token) await this.exclusive(() => this.logIn());
    return this.client.token;
  }

  /** `refused` was answered 403: log in again unless another request already did, then the caller retries once. */
  async refused(refused: string): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    if (this.client.token && this.client.token !== refused) return;
    await this.exclusive(() => this.logIn());
  }

  /** Stops the renewal timer (the boot's stop()); a later request would still log in, without a timer. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One login or renewal at a time: a second caller waits for the one in flight instead of starting its own. */
  private exclusive(operation: () => Promise<void>): Promise<void> {
    this.inFlight ??= operation().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async logIn(): Promise<void> {
    let answer: { auth?: AuthAnswer } | undefined;
    try {
      this.loginClient.token = "";
      answer =
        this.login.method === "approle"
          ? await this.loginClient.approleLogin({
              mount_point: this.login.mount,
              role_id: this.login.roleId,
              secret_id: this.login.secretId ?? (await readSecretFile(this.login.secretIdFile)),
            })
          : await this.loginClient.kubernetesLogin({
              mount_point: this.login.mount,
              role: this.login.role,
              jwt: await readSecretFile(this.login.jwtFile),
            });
    } catch (error) {
      this.schedule(RETRY_MS, "login");
      throw loginFailed(this.login.method, error);
    } finally {
      // node-vault keeps the token on the client that logged in; only `client` may hold it.
      this.loginClient.token = "";
    }
    const token = answer?.auth?.client_token;
    if (typeof token !== "string" || token === "") {
      this.schedule(RETRY_MS, "login");
      throw new SecretStoreUnavailableError(`Vault ${this.login.method} login answered no client token`, { engineDown: true });
    }
    this.client.token = token;
    const lease = leaseOf(answer?.auth);
    this.fullLeaseSeconds = lease.seconds;
    log.info("vault.login", { method: this.login.method, lease_seconds: lease.seconds, renewable: lease.renewable });
    this.plan(lease);
  }

  private async renew(): Promise<void> {
    const token = this.client.token;
    let answer: { auth?: AuthAnswer } | undefined;
    try {
      answer = await this.client.tokenRenewSelf();
    } catch (error) {
      log.warn("vault.renew_failed", { method: this.login.method, status: statusOf(error) ?? null });
      // Renewal is no longer possible (expired, revoked, not renewable): log in again now.
      await this.logIn().catch(() => undefined);
      return;
    }
    // tokenRenewSelf sets the token it was answered, which is the one it renewed.
    this.client.token = token;
    const lease = leaseOf(answer?.auth);
    log.info("vault.renewed", { method: this.login.method, lease_seconds: lease.seconds });
    // Renewed to (almost) nothing: the max TTL is here.
    if (lease.seconds <= 0) return this.logIn().catch(() => undefined);
    this.plan(lease);
  }

  /** After a login or renewal: renew at 2/3 of the lease, or log in again then if the lease was cut short by the max TTL. */
  private plan(lease: { seconds: number; renewable: boolean }) {
    if (lease.seconds <= 0) return; // a token without a TTL never expires
    const atMaxTtl = !lease.renewable || lease.seconds < this.fullLeaseSeconds;
    this.schedule(lease.seconds * 1000 * RENEW_AT, atMaxTtl ? "login" : "renew");
  }

  private schedule(delayMs: number, next: "login" | "renew") {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exclusive(() => (next === "renew" ? this.renew() : this.logIn())).catch((error: unknown) =>
        log.warn("vault.login_failed", { method: this.login.method, error: (error as Error).message }),
      );
    }, delayMs);
    this.timer.unref();
  }
}

/** A secret id or JWT from its file, read at every login (kubelet rotates the service-account token). */
async function readSecretFile(file: string | undefined): Promise<string> {
  if (!file) throw new SecretStoreUnavailableError("no credential file configured", { engineDown: true });
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    throw new SecretStoreUnavailableError(`cannot read ${file} (${(error as { code?: string }).code ?? "error"})`, { engineDown: true });
  }
}

function leaseOf(auth: AuthAnswer | undefined): { seconds: number; renewable: boolean } {
  const seconds = Number(auth?.lease_duration);
  return { seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 0, renewable: auth?.renewable === true };
}

function statusOf(error: unknown): number | undefined {
  return (error as { response?: { statusCode?: number } })?.response?.statusCode;
}

/**
 * A failed login is the engine refusing us, or not answering: an outage (503
 * with Retry-After) that heals when the engine or its configuration is back.
 * The message names the method and the status, never what was sent.
 */
function loginFailed(method: VaultLogin["method"], error: unknown): SecretStoreUnavailableError {
  if (isSecretStoreUnavailable(error)) return error;
  const status = statusOf(error);
  return new SecretStoreUnavailableError(
    `Vault ${method} login failed${status ? ` with HTTP ${status}` : " (no response from the secrets engine)"}`,
    { engineDown: true },
  );
}
