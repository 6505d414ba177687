/**
 * A test double of the OpenBao / Vault (1.14) KV-v2 HTTP API, in memory,
 * on node:http only. No Vault or OpenBao binary runs on our machines, so the
 * `vault` secret-store driver is tested against this instead.
 *
 * What it implements, for one KV-v2 mount (default `secret`):
 * - `X-Vault-Token` on every request (403 `permission denied` otherwise);
 *   every request is recorded as `{ method, path, namespace }` in `requests`
 *   (path without the query; bodies are never recorded).
 * - `POST|PUT <mount>/data/<path>` with `options.cas` and `cas_required`,
 *   `GET <mount>/data/<path>[?version=N]` (404 `{"errors":[]}` when missing;
 *   404 with `{data: null, metadata}` in Vault's envelope when the version
 *   is soft-deleted or destroyed), `DELETE <mount>/data/<path>` (latest),
 *   `POST|PUT <mount>/delete|undelete|destroy/<path>` `{versions}`.
 * - `GET|POST|PUT|DELETE <mount>/metadata/<path>` (max_versions, cas_required,
 *   custom_metadata; `max_versions` reads 0 until set, as in Vault, and then
 *   10 applies; a lowered max_versions trims on the next write, as in Vault),
 *   and LIST as `GET <mount>/metadata/<prefix>?list=true` (or `list=1`):
 *   immediate children, folders ending in "/", 404 when there are none.
 * - Vault's response envelope, `{"errors":[...]}` errors, 404 `no handler for
 *   route` for unknown paths, 405 `unsupported operation` for a wrong method
 *   on a known route, 413 for a body over 1 MiB, 400 for malformed JSON.
 *
 * - Logins and token lifetimes, when `auth` is given (the root `token`
 *   never expires): `POST auth/<approle mount>/login` `{role_id, secret_id}`
 *   (400 `invalid role or secret ID` otherwise), `POST auth/<kubernetes
 *   mount>/login` `{role, jwt}` (a stand-in: the JWT must equal the one
 *   configured, byte for byte, where Vault would ask the cluster's
 *   TokenReview; 403 `permission denied` otherwise, 400 `invalid role name`
 *   for another role), each answering Vault's `auth` block (`client_token`,
 *   `accessor`, `lease_duration`, `renewable`, `policies`, ...);
 *   `POST auth/token/renew-self` (the TTL again, capped by the explicit max
 *   TTL, as Vault caps it, with its warning), `GET auth/token/lookup-self`.
 *   A login token past its TTL is refused with 403 `permission denied`, as
 *   Vault and OpenBao answer an expired token; `expireTokens()` ends every
 *   login token at once (a revocation, or a restored Vault).
 *
 * What it does not implement:
 * - other auth methods, token creation and revocation endpoints, policies, ACLs, response wrapping,
 *   leases, sys/ endpoints, other engines or mounts, the mount's `config`
 *   endpoint, `PATCH` (JSON merge-patch) on data or metadata (405 here),
 *   `subkeys`, and `delete_version_after` (accepted and echoed, never applied).
 * - persistence: everything is in memory and gone when the process stops.
 * - the `LIST` HTTP verb: the handler would accept it, but Node's HTTP parser
 *   answers 400 to an unknown verb before any handler runs; clients must use
 *   `GET ?list=true` (node-vault does with `noCustomHTTPVerbs: true`).
 * - real namespaces: the `X-Vault-Namespace` header is recorded, and each
 *   namespace (slashes trimmed; none = root) gets its own in-memory copy of
 *   the mount, created on first use. Namespace existence is not checked, and
 *   a namespace given as a path prefix (`/v1/ns1/secret/...`) is not
 *   understood (404).
 * - Vault's nanosecond timestamps: times are RFC 3339 with milliseconds.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Kv2DoubleOptions {
  token?: string;
  mount?: string;
  port?: number;
  host?: string;
  /** Login methods and the lifetime of the tokens they hand out; without it, only the root `token` is accepted. */
  auth?: Kv2DoubleAuth;
}

export interface Kv2DoubleAuth {
  approle?: { mount?: string; roleId: string; secretId: string };
  /** Not Kubernetes: the JWT is compared with this one, where Vault would ask the cluster's TokenReview API. */
  kubernetesStandIn?: { mount?: string; role: string; jwt: string };
  /** The TTL a login gives and a renewal gives again, in seconds (Vault's token_ttl); 3600 unless set. */
  ttlSeconds?: number;
  /** Past this many seconds after its login a token cannot be renewed and expires (token_explicit_max_ttl); 0 = none. */
  maxTtlSeconds?: number;
  /** Whether login tokens may be renewed (renew-self); true unless set. */
  renewable?: boolean;
}

interface LoginToken {
  accessor: string;
  method: string;
  issuedAt: number;
  expiresAt: number;
  /** 0 = no max TTL. */
  maxExpiresAt: number;
  renewable: boolean;
}

export interface Kv2RecordedRequest {
  method: string;
  path: string;
  namespace?: string;
}

export interface Kv2Double {
  url: string;
  token: string;
  mount: string;
  stop(): Promise<void>;
  requests: Kv2RecordedRequest[];
  /** Login tokens handed out so far (the root token is not one), with each one's method and whether it is still live. */
  logins(): { method: string; live: boolean }[];
  /** Ends every login token now: the next request with one is refused with 403, as after a revocation. */
  expireTokens(): void;
  /**
   * Secret writes (POST/PUT to data/) wait until `release()`: a test can
   * then know how many of its requests the console is in the middle of.
   */
  holdWrites(): { waiting(): number; release(): void };
}

const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_VERSIONS = 10;

const CAS_MISMATCH = "check-and-set parameter did not match the current version";
const CAS_REQUIRED = "check-and-set parameter required for this call";

interface VersionEntry {
  createdTime: string;
  deletionTime: string;
  destroyed: boolean;
  data: Record<string, unknown> | null;
}

interface KeyEntry {
  createdTime: string;
  updatedTime: string;
  currentVersion: number;
  oldestVersion: number;
  /** 0 = not set on the key; the default (10) applies. */
  maxVersions: number;
  casRequired: boolean;
  customMetadata: Record<string, string> | null;
  deleteVersionAfter: string;
  versions: Map<number, VersionEntry>;
}

type Keys = Map<string, KeyEntry>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
  ) {
    super(errors.join("; ") || `HTTP ${status}`);
  }
}

type Reply = { status: number; body?: unknown };

export async function startKv2Double(options: Kv2DoubleOptions = {}): Promise<Kv2Double> {
  const token = options.token ?? randomBytes(18).toString("base64url");
  const mount = (options.mount ?? "secret").replace(/^\/+|\/+$/g, "");
  if (!mount) throw new Error("the KV-v2 double needs a non-empty mount");
  const host = options.host ?? "127.0.0.1";
  const requests: Kv2RecordedRequest[] = [];
  const namespaces = new Map<string, Keys>();
  let held: { waiters: (() => void)[] } | undefined;
  const auth = options.auth;
  const loginTokens = new Map<string, LoginToken>();
  const issued: LoginToken[] = [];
  const liveToken = (presented: string | undefined): LoginToken | undefined => {
    const entry = presented === undefined ? undefined : loginTokens.get(presented);
    if (entry && entry.expiresAt > Date.now()) return entry;
    return undefined;
  };

  const keysFor = (namespace: string | undefined): Keys => {
    const name = (namespace ?? "").replace(/^\/+|\/+$/g, "");
    let keys = namespaces.get(name);
    if (!keys) namespaces.set(name, (keys = new Map()));
    return keys;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the double itself; answer like Vault's internal error.
      if (!res.headersSent) send(res, { status: 500, body: { errors: [String((error as Error)?.message ?? error)] } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://kv2-double.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const namespaceHeader = headerValue(req.headers["x-vault-namespace"]);
    requests.push({ method, path: url.pathname, ...(namespaceHeader !== undefined ? { namespace: namespaceHeader } : {}) });

    const body = await readBody(req);
    if (body === "too-large") return send(res, errorReply(413, ["http: request body too large"]));
    const presented = headerValue(req.headers["x-vault-token"]);
    if (auth && method === "POST" && url.pathname.startsWith("/v1/auth/") && url.pathname.endsWith("/login")) {
      // Login paths take no token, as in Vault.
      return send(
        res,
        authReply(() => logIn(url.pathname, parseJson(body))),
      );
    }
    const session = auth ? liveToken(presented) : undefined;
    if (presented !== token && !session) return send(res, errorReply(403, ["permission denied"]));
    if (url.pathname.startsWith("/v1/auth/token/")) {
      return send(
        res,
        authReply(() => tokenSelf(method, url.pathname, presented as string, session)),
      );
    }
    const hold = held;
    if (hold && (method === "POST" || method === "PUT") && url.pathname.startsWith(`/v1/${mount}/data/`)) {
      await new Promise<void>((resolve) => hold.waiters.push(resolve));
    }

    try {
      send(res, route(method, url, body, keysFor(namespaceHeader)));
    } catch (error) {
      if (error instanceof HttpError) return send(res, errorReply(error.status, error.errors));
      throw error;
    }
  }

  function authReply(operation: () => Reply): Reply {
    try {
      return operation();
    } catch (error) {
      if (error instanceof HttpError) return errorReply(error.status, error.errors);
      throw error;
    }
  }

  function logIn(path: string, body: Record<string, unknown>): Reply {
    const approle = auth?.approle;
    const kubernetes = auth?.kubernetesStandIn;
    let method: string;
    if (approle && path === `/v1/auth/${approle.mount ?? "approle"}/login`) {
      if (body.role_id !== approle.roleId || body.secret_id !== approle.secretId) throw new HttpError(400, ["invalid role or secret ID"]);
      method = "approle";
    } else if (kubernetes && path === `/v1/auth/${kubernetes.mount ?? "kubernetes"}/login`) {
      if (typeof body.role !== "string" || typeof body.jwt !== "string") throw new HttpError(400, ["missing role or jwt"]);
      if (body.role !== kubernetes.role) throw new HttpError(400, [`invalid role name "${body.role}"`]);
      if (body.jwt !== kubernetes.jwt) throw new HttpError(403, ["permission denied"]);
      method = "kubernetes";
    } else {
      throw new HttpError(404, ["no handler for route"]);
    }
    const issuedAt = Date.now();
    const max = auth?.maxTtlSeconds ?? 0;
    // Vault caps a login's TTL by the max TTL too.
    const ttl = max > 0 ? Math.min(auth?.ttlSeconds ?? 3600, max) : (auth?.ttlSeconds ?? 3600);
    const entry: LoginToken = {
      accessor: randomBytes(12).toString("base64url"),
      method,
      issuedAt,
      expiresAt: issuedAt + ttl * 1000,
      maxExpiresAt: max > 0 ? issuedAt + max * 1000 : 0,
      renewable: auth?.renewable ?? true,
    };
    const clientToken = `hvs.${randomBytes(18).toString("base64url")}`;
    loginTokens.set(clientToken, entry);
    issued.push(entry);
    return { status: 200, body: { ...envelope(null), auth: authBlock(clientToken, entry, ttl) } };
  }

  function tokenSelf(method: string, path: string, presented: string, session: LoginToken | undefined): Reply {
    if (path === "/v1/auth/token/lookup-self") {
      if (method !== "GET") throw unsupported();
      const entry = session;
      const ttl = entry ? Math.max(0, Math.ceil((entry.expiresAt - Date.now()) / 1000)) : 0;
      return {
        status: 200,
        body: envelope({
          accessor: entry?.accessor ?? "root-accessor",
          creation_time: Math.floor((entry?.issuedAt ?? 0) / 1000),
          creation_ttl: entry ? (auth?.ttlSeconds ?? 3600) : 0,
          display_name: entry ? entry.method : "root",
          entity_id: "",
          expire_time: entry ? new Date(entry.expiresAt).toISOString() : null,
          explicit_max_ttl: entry && entry.maxExpiresAt ? Math.round((entry.maxExpiresAt - entry.issuedAt) / 1000) : 0,
          id: presented,
          meta: null,
          num_uses: 0,
          orphan: true,
          path: entry ? `auth/${entry.method}/login` : "auth/token/root",
          policies: entry ? ["default", "plexsphere"] : ["root"],
          renewable: entry?.renewable ?? false,
          ttl,
          type: "service",
        }),
      };
    }
    if (path === "/v1/auth/token/renew-self") {
      if (method !== "POST" && method !== "PUT") throw unsupported();
      if (!session || !session.renewable) throw new HttpError(400, ["lease is not renewable"]);
      const now = Date.now();
      const wanted = now + (auth?.ttlSeconds ?? 3600) * 1000;
      const capped = session.maxExpiresAt > 0 && wanted > session.maxExpiresAt;
      session.expiresAt = capped ? session.maxExpiresAt : wanted;
      const ttl = Math.max(0, Math.floor((session.expiresAt - now) / 1000));
      const warnings = capped
        ? [`TTL of "${auth?.ttlSeconds ?? 3600}s" exceeded the effective max_ttl of "${ttl}s"; TTL value is capped accordingly`]
        : null;
      return { status: 200, body: { ...envelope(null), warnings, auth: authBlock(presented, session, ttl) } };
    }
    throw new HttpError(404, ["no handler for route"]);
  }

  function route(method: string, url: URL, rawBody: Buffer, keys: Keys): Reply {
    const prefix = `/v1/${mount}/`;
    if (!url.pathname.startsWith(prefix)) throw new HttpError(404, ["no handler for route"]);
    const rest = url.pathname.slice(prefix.length);
    const slash = rest.indexOf("/");
    const operation = slash === -1 ? rest : rest.slice(0, slash);
    let path: string;
    try {
      path = slash === -1 ? "" : decodeURIComponent(rest.slice(slash + 1));
    } catch {
      throw new HttpError(400, ["invalid path encoding"]);
    }
    const body = () => parseJson(rawBody);
    const listing = method === "LIST" || (method === "GET" && parseBool(url.searchParams.get("list")));

    switch (operation) {
      case "data":
        if (listing) throw unsupported();
        if (method === "GET") return readData(keys, requirePath(path), url.searchParams.get("version"));
        if (method === "POST" || method === "PUT") return writeData(keys, requirePath(path), body());
        if (method === "DELETE") return softDeleteLatest(keys, requirePath(path));
        throw unsupported();
      case "delete":
      case "undelete":
      case "destroy":
        if (method !== "POST" && method !== "PUT") throw unsupported();
        return changeVersions(keys, requirePath(path), operation, body());
      case "metadata":
        if (listing) return list(keys, path);
        if (method === "GET") return readMetadata(keys, requirePath(path));
        if (method === "POST" || method === "PUT") return writeMetadata(keys, requirePath(path), body());
        if (method === "DELETE") {
          keys.delete(requirePath(path));
          return { status: 204 };
        }
        throw unsupported();
      default:
        throw new HttpError(404, ["no handler for route"]);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    token,
    mount,
    requests,
    logins: () => issued.map((entry) => ({ method: entry.method, live: entry.expiresAt > Date.now() })),
    expireTokens() {
      for (const entry of loginTokens.values()) entry.expiresAt = Math.min(entry.expiresAt, Date.now());
    },
    holdWrites() {
      const hold = { waiters: [] as (() => void)[] };
      held = hold;
      return {
        waiting: () => hold.waiters.length,
        release() {
          if (held === hold) held = undefined;
          for (const resume of hold.waiters.splice(0)) resume();
        },
      };
    },
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets (fetch, axios) would hold close() open.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

// --- operations -------------------------------------------------------------

function now(): string {
  return new Date().toISOString();
}

function versionMetadata(key: KeyEntry, version: number, entry: VersionEntry) {
  return {
    created_time: entry.createdTime,
    custom_metadata: key.customMetadata ? { ...key.customMetadata } : null,
    deletion_time: entry.deletionTime,
    destroyed: entry.destroyed,
    version,
  };
}

function readData(keys: Keys, path: string, versionParam: string | null): Reply {
  const requested = versionParam === null || versionParam === "" ? 0 : nonNegativeInteger(versionParam, "version");
  const key = keys.get(path);
  if (!key) return notFound();
  const version = requested || key.currentVersion;
  const entry = key.versions.get(version);
  if (!entry) return notFound();
  const metadata = versionMetadata(key, version, entry);
  if (entry.destroyed || entry.deletionTime) return { status: 404, body: envelope({ data: null, metadata }) };
  return { status: 200, body: envelope({ data: structuredClone(entry.data), metadata }) };
}

function writeData(keys: Keys, path: string, body: Record<string, unknown>): Reply {
  const data = body.data;
  if (!isObject(data)) throw new HttpError(400, ["no data provided"]);
  const opts = body.options;
  if (opts !== undefined && opts !== null && !isObject(opts)) throw new HttpError(400, ["invalid options"]);
  const casRaw = isObject(opts) ? opts.cas : undefined;
  const cas = casRaw === undefined || casRaw === null ? undefined : nonNegativeInteger(casRaw, "cas");

  const existing = keys.get(path);
  if (existing?.casRequired && cas === undefined) throw new HttpError(400, [CAS_REQUIRED]);
  if (cas !== undefined && cas !== (existing?.currentVersion ?? 0)) throw new HttpError(400, [CAS_MISMATCH]);

  const time = now();
  const key = existing ?? newKey(time);
  if (!existing) keys.set(path, key);
  const version = key.currentVersion + 1;
  const entry: VersionEntry = { createdTime: time, deletionTime: "", destroyed: false, data: structuredClone(data) };
  key.versions.set(version, entry);
  key.currentVersion = version;
  key.updatedTime = time;

  // Vault keeps the newest max_versions versions and forgets the rest.
  const max = key.maxVersions > 0 ? key.maxVersions : DEFAULT_MAX_VERSIONS;
  if (key.versions.size > max) {
    const ordered = [...key.versions.keys()].sort((a, b) => a - b);
    for (const old of ordered.slice(0, ordered.length - max)) key.versions.delete(old);
    key.oldestVersion = Math.min(...key.versions.keys());
  }
  const { created_time, custom_metadata, deletion_time, destroyed } = versionMetadata(key, version, entry);
  return { status: 200, body: envelope({ created_time, custom_metadata, deletion_time, destroyed, version }) };
}

function softDeleteLatest(keys: Keys, path: string): Reply {
  const key = keys.get(path);
  const entry = key?.versions.get(key.currentVersion);
  if (entry && !entry.destroyed && !entry.deletionTime) entry.deletionTime = now();
  return { status: 204 };
}

function changeVersions(keys: Keys, path: string, operation: "delete" | "undelete" | "destroy", body: Record<string, unknown>): Reply {
  const raw = body.versions;
  if (!Array.isArray(raw) || raw.length === 0) throw new HttpError(400, ["no version number provided"]);
  const versions = raw.map((v) => nonNegativeInteger(v, "versions"));
  const key = keys.get(path);
  if (!key) return { status: 204 };
  const time = now();
  for (const version of versions) {
    const entry = key.versions.get(version);
    if (!entry) continue;
    if (operation === "delete" && !entry.destroyed && !entry.deletionTime) entry.deletionTime = time;
    if (operation === "undelete" && !entry.destroyed) entry.deletionTime = "";
    if (operation === "destroy") {
      entry.destroyed = true;
      entry.data = null;
    }
  }
  return { status: 204 };
}

function readMetadata(keys: Keys, path: string): Reply {
  const key = keys.get(path);
  if (!key) return notFound();
  const versions: Record<string, { created_time: string; deletion_time: string; destroyed: boolean }> = {};
  for (const [version, entry] of [...key.versions.entries()].sort(([a], [b]) => a - b)) {
    versions[String(version)] = { created_time: entry.createdTime, deletion_time: entry.deletionTime, destroyed: entry.destroyed };
  }
  return {
    status: 200,
    body: envelope({
      cas_required: key.casRequired,
      created_time: key.createdTime,
      current_version: key.currentVersion,
      custom_metadata: key.customMetadata ? { ...key.customMetadata } : null,
      delete_version_after: key.deleteVersionAfter,
      max_versions: key.maxVersions,
      oldest_version: key.oldestVersion,
      updated_time: key.updatedTime,
      versions,
    }),
  };
}

function writeMetadata(keys: Keys, path: string, body: Record<string, unknown>): Reply {
  const changes: Partial<KeyEntry> = {};
  if (body.max_versions !== undefined) changes.maxVersions = nonNegativeInteger(body.max_versions, "max_versions");
  if (body.cas_required !== undefined) {
    if (typeof body.cas_required !== "boolean") throw new HttpError(400, ["cas_required must be a boolean"]);
    changes.casRequired = body.cas_required;
  }
  if (body.custom_metadata !== undefined) {
    const custom = body.custom_metadata;
    if (custom !== null && (!isObject(custom) || Object.values(custom).some((v) => typeof v !== "string"))) {
      throw new HttpError(400, ["custom_metadata must be a map of strings"]);
    }
    changes.customMetadata = custom && Object.keys(custom).length > 0 ? { ...(custom as Record<string, string>) } : null;
  }
  if (body.delete_version_after !== undefined) {
    if (typeof body.delete_version_after !== "string") throw new HttpError(400, ["delete_version_after must be a duration string"]);
    changes.deleteVersionAfter = body.delete_version_after;
  }
  const time = now();
  let key = keys.get(path);
  if (!key) keys.set(path, (key = newKey(time)));
  Object.assign(key, changes, { updatedTime: time });
  return { status: 204 };
}

function list(keys: Keys, rawPrefix: string): Reply {
  // Vault lists `<prefix>/` whether or not the caller gave the trailing slash.
  const prefix = rawPrefix === "" || rawPrefix.endsWith("/") ? rawPrefix : `${rawPrefix}/`;
  const children = new Set<string>();
  for (const path of keys.keys()) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    children.add(slash === -1 ? rest : rest.slice(0, slash + 1));
  }
  children.delete("");
  if (children.size === 0) return notFound();
  return { status: 200, body: envelope({ keys: [...children].sort() }) };
}

function newKey(time: string): KeyEntry {
  return {
    createdTime: time,
    updatedTime: time,
    currentVersion: 0,
    oldestVersion: 0,
    maxVersions: 0,
    casRequired: false,
    customMetadata: null,
    deleteVersionAfter: "0s",
    versions: new Map(),
  };
}

// --- HTTP plumbing ----------------------------------------------------------

function envelope(data: unknown) {
  return {
    request_id: randomUUID(),
    lease_id: "",
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
  };
}

function authBlock(clientToken: string, entry: LoginToken, leaseSeconds: number) {
  return {
    client_token: clientToken,
    accessor: entry.accessor,
    policies: ["default", "plexsphere"],
    token_policies: ["default", "plexsphere"],
    metadata: entry.method === "approle" ? { role_name: "plexsphere" } : { role: "plexsphere" },
    lease_duration: leaseSeconds,
    renewable: entry.renewable,
    entity_id: "",
    token_type: "service",
    orphan: true,
  };
}

function errorReply(status: number, errors: string[]): Reply {
  return { status, body: { errors } };
}

function notFound(): Reply {
  return errorReply(404, []);
}

function unsupported(): HttpError {
  return new HttpError(405, ["unsupported operation"]);
}

function requirePath(path: string): string {
  if (!path || path.endsWith("/")) throw new HttpError(400, ["missing path"]);
  return path;
}

function send(res: ServerResponse, reply: Reply) {
  res.setHeader("Cache-Control", "no-store");
  if (reply.body === undefined) {
    res.writeHead(reply.status);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** The whole body, or "too-large" (after draining it, so the client still gets our answer). */
async function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? "too-large" : Buffer.concat(chunks);
}

function parseJson(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0 || raw.toString("utf8").trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new HttpError(400, [`failed to parse JSON input: ${(error as Error).message}`]);
  }
  if (value === null) return {};
  if (!isObject(value)) throw new HttpError(400, ["failed to parse JSON input: expected a JSON object"]);
  return value;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Go's strconv.ParseBool, which Vault uses for `list`. */
function parseBool(value: string | null): boolean {
  return value !== null && ["1", "t", "T", "TRUE", "true", "True"].includes(value);
}

function nonNegativeInteger(value: unknown, field: string): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new HttpError(400, [`invalid ${field}: ${JSON.stringify(value)}`]);
  return n;
}
