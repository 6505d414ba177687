import "server-only";
import http from "node:http";
import https from "node:https";

/**
 * node-vault's HTTP transport, on Node's own http/https with keep-alive.
 *
 * node-vault builds every request (paths, the token and namespace headers)
 * and judges every answer; how the bytes travel is pluggable through its
 * `request-promise` option, which this fills. Its default, axios (with
 * follow-redirects), spent 0.86 ms of CPU per KV-v2 write against the
 * protocol double; this spends 0.26 ms, and the issue path makes one write.
 *
 * What it keeps from the default: every status resolves (node-vault turns
 * non-2xx into errors itself), JSON answers are parsed and anything else is
 * passed as text, `timeout` is how long the socket may stay silent, and
 * `strictSSL: false` (VAULT_SKIP_VERIFY) skips certificate checks. What it
 * drops: redirects are not followed (a Vault standby forwards requests to
 * the active node; one that redirects instead counts as the engine being
 * down, and the token is never sent to where it points), HTTP(S)_PROXY is
 * not used (axios honoured it), and a failed request's error carries no
 * request, so no secret rides on it.
 */
interface VaultRequest {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeout?: number;
  strictSSL?: boolean;
}

interface VaultAnswer {
  statusCode: number;
  body: unknown;
  request: { path: string };
}

/**
 * Kept-alive as Node's own global agent keeps them: the most recent socket
 * first, and an idle one closed after 5 s, before a load balancer or NAT
 * between here and the engine drops it silently (the next request would
 * wait out its timeout on a dead socket).
 */
const keepAlive = { keepAlive: true, scheduling: "lifo", timeout: 5_000 } as const;
const agents = {
  http: new http.Agent(keepAlive),
  https: new https.Agent(keepAlive),
  httpsUnverified: new https.Agent({ ...keepAlive, rejectUnauthorized: false }),
};

function send(options: VaultRequest): Promise<VaultAnswer> {
  const url = new URL(options.uri);
  const secure = url.protocol === "https:";
  const body = options.json !== undefined && typeof options.json === "object" ? Buffer.from(JSON.stringify(options.json)) : undefined;
  const headers: Record<string, string | number> = { accept: "application/json", ...options.headers };
  if (body) {
    headers["content-type"] = "application/json";
    headers["content-length"] = body.length;
  }
  const agent = !secure ? agents.http : options.strictSSL === false ? agents.httpsUnverified : agents.https;
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(url, { method: options.method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => reject(new VaultTransportError(error)));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ statusCode: response.statusCode ?? 0, body: parsed(text), request: { path: url.pathname } });
      });
    });
    request.on("error", (error) => reject(new VaultTransportError(error)));
    if (options.timeout) request.setTimeout(options.timeout, () => request.destroy(new Error("timed out")));
    request.end(body);
  });
}

function parsed(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * No answer from the engine: the network's reason in the message, and
 * nothing of the request. No `code` property: a socket code such as
 * ECONNREFUSED on an error is read as the database being down
 * (lib/unavailable.ts), and this is never the database.
 */
class VaultTransportError extends Error {
  override name = "VaultTransportError";
  constructor(error: Error & { code?: string }) {
    super(`no answer from the secrets engine: ${error.code ?? error.message}`);
  }
}

/** The shape node-vault's `request-promise` option takes: `defaults(rpDefaults)` gives the request function. */
export const vaultTransport = {
  defaults: (defaults: { strictSSL?: boolean; timeout?: number }) => (options: VaultRequest) =>
    send({ ...options, strictSSL: options.strictSSL ?? defaults.strictSSL, timeout: options.timeout ?? defaults.timeout }),
};
