import { request as httpRequest, type Agent, type IncomingHttpHeaders } from "node:http";

/**
 * Raw HTTP for hostile-input tests: Playwright's request API normalises
 * URLs, methods and bodies, which is exactly what these tests must not do.
 * Paths are sent byte for byte (bad percent-encoding included), methods
 * verbatim (TRACE, PROPFIND, garbage), bodies as given.
 */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function sendRaw(baseURL: string, req: RawRequest, options: { agent?: Agent; chunked?: boolean } = {}): Promise<RawResponse> {
  const url = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, "utf8");
    const headers: Record<string, string> = { ...req.headers };
    if (body && !options.chunked) headers["content-length"] = String(body.length);
    if (body && options.chunked) headers["transfer-encoding"] = "chunked";
    const outgoing = httpRequest({
      host: url.hostname,
      port: url.port,
      method: req.method,
      path: req.path,
      headers,
      agent: options.agent ?? false,
      timeout: 30_000,
    });
    outgoing.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error("timed out")));
    outgoing.on("error", reject);
    if (body && options.chunked) {
      for (let i = 0; i < body.length; i += 1024) outgoing.write(body.subarray(i, i + 1024));
      outgoing.end();
    } else {
      outgoing.end(body);
    }
  });
}

/** The headers every answer carries, errors included (next.config.mjs, proxy.ts and lib/http/edge.ts). */
export function missingSecurityHeaders(res: RawResponse, options: { api: boolean }): string[] {
  const h = res.headers;
  const missing: string[] = [];
  if (h["x-content-type-options"] !== "nosniff") missing.push("x-content-type-options");
  if (!h["referrer-policy"]) missing.push("referrer-policy");
  if (h["x-frame-options"] !== "DENY") missing.push("x-frame-options");
  if (!/frame-ancestors 'none'/.test(String(h["content-security-policy"] ?? ""))) missing.push("content-security-policy");
  if (options.api && !/no-store/.test(String(h["cache-control"] ?? ""))) missing.push("cache-control: no-store");
  return missing;
}

/** What is wrong with an answer, if anything: a 5xx, or an error that is not a problem with a code. */
export function problemDefect(req: RawRequest, res: RawResponse): string | undefined {
  if (res.status >= 500) return `5xx (${res.status})`;
  if (res.status < 400) return undefined;
  const type = String(res.headers["content-type"] ?? "");
  if (!type.startsWith("application/problem+json")) return `non-problem ${res.status} (${type || "no content-type"})`;
  if (req.method === "HEAD") return undefined;
  try {
    const body = JSON.parse(res.body);
    if (typeof body.code !== "string" || !/^[a-z][a-z0-9_]*$/.test(body.code) || body.status !== res.status)
      return `problem without a stable code (${res.status})`;
  } catch {
    return `problem body is not JSON (${res.status})`;
  }
  return undefined;
}

/** Runs requests with a small pool of workers, in order of the list. */
export async function runPool<T, R>(items: T[], workers: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i]);
      }
    }),
  );
  return results;
}
