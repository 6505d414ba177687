import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ApiHandler } from "@/lib/api/routes";
import { problemFromError } from "@/lib/api/problem";
import { log } from "@/lib/log";
import { CORRELATION_HEADER } from "./correlation";
import { API_HEADERS } from "./security-headers";

/**
 * The bridge between Node's request and response and the Web Request and
 * Response a route handler speaks, for the /v1 requests the server entry
 * answers itself. Next's pipeline (router, request stores, tracing, its own
 * bridge) costs about 1.8 ms of CPU per request on this stack even for an
 * empty route (docs/performance.md); an API route needs none of it.
 */

/**
 * Answers a /v1 request with the route handler the table picked
 * (lib/api/routes.ts): the Web Request built from Node's, the handler run,
 * its Response written back as Next's sendResponse would.
 */
export async function serveApiRequest(req: IncomingMessage, res: ServerResponse, handler: ApiHandler, params: Record<string, string>) {
  try {
    const request = requestOf(req);
    let response: Response;
    try {
      response = await handler(request, { params: Promise.resolve(params) });
      if (!(response instanceof Response)) throw new TypeError("a route handler returned no Response");
    } catch (error) {
      // The handlers turn what they throw into problems (lib/api/route.ts); this is the backstop Next would be.
      response = problemFromError(request, error);
    }
    await writeResponse(res, response);
  } catch (error) {
    // Building the request or writing the answer failed (a header Node refuses, a body stream that broke).
    const path = (req.url ?? "").split("?")[0];
    log.error("api.answer_failed", { path: path.slice(0, 256), error: error instanceof Error ? error.name : typeof error });
    if (!res.headersSent) {
      try {
        // Only the server's fixed headers stay; whatever the failed answer had added goes.
        for (const name of res.getHeaderNames()) if (!(name in API_HEADERS)) res.removeHeader(name);
        await writeResponse(res, problemFromError(new Request(`http://localhost${path}`), new Error("the answer could not be written")));
        return;
      } catch {
        // fall through to closing the connection
      }
    }
    res.destroy();
  }
}

/**
 * The Web Request a route handler expects, as Next builds it: the URL on the
 * server's own host (never the client's Host header), https when a proxy
 * says so in X-Forwarded-Proto, the headers as Node parsed them with the
 * X-Forwarded-* Next adds when they are missing, and the
 * body as a stream read only when the handler reads it: a handler that
 * refuses before reading leaves it for Node to drain, so the connection
 * stays usable.
 */
function requestOf(req: IncomingMessage): Request {
  const socket = req.socket as IncomingMessage["socket"] & { encrypted?: boolean };
  // Next's own additions, each only when the request did not bring it (base-server's x-forwarded-*);
  // X-Forwarded-For is already settled by the entry (lib/auth/client-address.ts settleClientAddress).
  req.headers["x-forwarded-host"] ??= req.headers.host;
  req.headers["x-forwarded-port"] ??= String(socket.localPort ?? "");
  req.headers["x-forwarded-proto"] ??= socket.encrypted ? "https" : "http";
  const protocol = String(req.headers["x-forwarded-proto"]).includes("https") ? "https" : "http";
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.append(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers };
  if (req.method !== "GET") {
    let chunks: AsyncIterator<Buffer> | undefined;
    init.body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          chunks ??= req[Symbol.asyncIterator]();
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        },
        async cancel() {
          await chunks?.return?.();
        },
      },
      { highWaterMark: 0 },
    );
    init.duplex = "half";
  }
  return new Request(`${protocol}://localhost:${socket.localPort ?? 80}${req.url}`, init);
}

/** What Next never copies from a handler's Response: the server frames the body itself. */
const FRAMING_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding"]);
/** What a handler may add to a header the server already set (Next's sendResponse); any other such header keeps the server's value. */
const MULTIPLE_VALUES = new Set(["set-cookie", "www-authenticate", "proxy-authenticate", "vary"]);

/**
 * Writes a Response to Node's, as Next's sendResponse does: the status,
 * each header unless the server already set it (the fixed API headers from
 * lib/http/edge.ts win, as next.config.mjs's do on Next's path), each
 * Set-Cookie on its own, then the body, in one write when it is one chunk.
 */
export async function writeResponse(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name === "set-cookie" || FRAMING_HEADERS.has(name)) continue;
    // A problem names its correlation id in its body; the header must say the same.
    if (name === CORRELATION_HEADER) {
      res.setHeader(name, value);
      continue;
    }
    if (MULTIPLE_VALUES.has(name) || res.getHeader(name) === undefined) res.appendHeader(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) res.appendHeader("set-cookie", cookie);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const first = await reader.read();
  if (first.done) {
    res.end();
    return;
  }
  const second = await reader.read();
  if (second.done) {
    res.setHeader("content-length", first.value.byteLength);
    res.end(first.value);
    return;
  }
  res.write(first.value);
  res.write(second.value);
  reader.releaseLock();
  try {
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), res);
  } catch {
    // The client went away mid-answer; there is no one left to tell.
    res.destroy();
  }
}
