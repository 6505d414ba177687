import "server-only";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { problemFromError } from "@/lib/api/problem";
import { log } from "@/lib/log";
import { apiRouteTable, matchApiRoute, type ApiRouteEntry } from "./api-routes";
import { API_HEADERS } from "./security-headers";

/**
 * /v1 requests handed straight to their route handlers, at the HTTP server.
 *
 * Next's request pipeline (router, route matching, the app-route module's
 * request stores and tracing, the Web-to-Node response bridge) costs about
 * 1.8 ms of CPU per request on this stack even for an empty route: half the
 * issue path's server time (README, Performance). An API route needs none of
 * it: it takes a Request and returns a Response. So once Next has loaded a
 * route's compiled module, the same module's exported handlers (the very
 * functions Next calls, in the same module instances) serve that route's
 * requests directly: the request is built from the Node one, the handler
 * runs, and the Response is written back.
 *
 * Only `next start` (NODE_ENV=production, a built `.next`) dispatches; a
 * route's first request, HEAD and OPTIONS, any path the table does not
 * plainly match (lib/http/api-routes.ts), and every route if the build's
 * shape is not what this expects, stay with Next, so the answers do not
 * change: only who routes them.
 */

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The methods dispatched here; Next derives HEAD from GET and answers OPTIONS itself. */
const DISPATCHED = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

interface LoadedRoute {
  state: "loading" | "ready" | "failed";
  handlers: Partial<Record<string, RouteHandler>>;
}

interface Dispatcher {
  serverDir: string;
  table: ApiRouteEntry[];
  loaded: Map<string, LoadedRoute>;
  load: NodeJS.Require;
}

let dispatcher: Dispatcher | null | undefined;
/** Set when the server's start-up (instrumentation.ts register) is done; Next holds requests until then, and so does this. */
let ready = false;

/** Called last at start-up, after boot and the client-address guard: from now on requests may be dispatched. */
export function startApiDispatch(): void {
  ready = true;
}

function dispatcherOf(): Dispatcher | null {
  if (dispatcher !== undefined) return dispatcher;
  dispatcher = null;
  // eslint-disable-next-line no-restricted-properties -- a build fact, not configuration: `next dev` compiles routes on demand.
  if (process.env.NODE_ENV !== "production") return dispatcher;
  const serverDir = path.join(process.cwd(), ".next", "server");
  const manifestFile = path.join(serverDir, "app-paths-manifest.json");
  if (!existsSync(manifestFile)) return dispatcher;
  try {
    const table = apiRouteTable(JSON.parse(readFileSync(manifestFile, "utf8")));
    dispatcher = { serverDir, table, loaded: new Map(), load: createRequire(path.join(serverDir, "/")) };
    log.info("api.dispatch_ready", { routes: table.length });
  } catch (error) {
    log.error("api.dispatch_unavailable", { reason: error instanceof Error ? error.message : String(error) });
  }
  return dispatcher;
}

/**
 * The handlers a compiled route module exports, loaded with the same
 * `require` Next uses (so the same module instance). The module's userland
 * is where Next keeps the route file's exports.
 */
async function loadRoute(d: Dispatcher, route: ApiRouteEntry, entry: LoadedRoute): Promise<void> {
  try {
    const compiled = d.load(path.join(d.serverDir, route.file)) as {
      routeModule?: { ensureUserland?: () => Promise<void>; userland?: Record<string, unknown> };
    };
    const routeModule = compiled.routeModule;
    if (!routeModule?.ensureUserland) throw new Error("the compiled route has no routeModule.ensureUserland");
    await routeModule.ensureUserland();
    const userland = routeModule.userland ?? {};
    for (const method of DISPATCHED) {
      if (typeof userland[method] === "function") entry.handlers[method] = userland[method] as RouteHandler;
    }
    entry.state = "ready";
    log.info("api.dispatch_route", { route: route.pattern, methods: Object.keys(entry.handlers).join(",") });
  } catch (error) {
    entry.state = "failed";
    log.error("api.dispatch_route_unavailable", { route: route.pattern, reason: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Serves the request if it is a dispatched /v1 route's, and says whether it
 * did; false leaves it to Next. Called from the HTTP server's request event
 * (lib/http/edge.ts), after the edge's own refusals and default headers.
 */
export function dispatchApiRequest(req: IncomingMessage, res: ServerResponse): boolean {
  if (!ready || !req.method || !DISPATCHED.has(req.method)) return false;
  const url = req.url ?? "";
  if (!url.startsWith("/v1/")) return false;
  const d = dispatcherOf();
  if (!d) return false;
  const query = url.indexOf("?");
  const match = matchApiRoute(d.table, query === -1 ? url : url.slice(0, query));
  if (!match) return false;
  let entry = d.loaded.get(match.route.pattern);
  if (!entry) {
    // Next serves this request, and loads the module as it does; later ones come here.
    entry = { state: "loading", handlers: {} };
    d.loaded.set(match.route.pattern, entry);
    void loadRoute(d, match.route, entry);
    return false;
  }
  const handler = entry.state === "ready" ? entry.handlers[req.method] : undefined;
  if (!handler) return false;
  void serve(req, res, handler, match.params);
  return true;
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: RouteHandler, params: Record<string, string>) {
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
    log.error("api.dispatch_failed", { path: path.slice(0, 256), error: error instanceof Error ? error.name : typeof error });
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
  // Next's own additions, each only when the request did not bring it (base-server's x-forwarded-*):
  // route handlers read the client's address from X-Forwarded-For (lib/auth/client-address.ts).
  req.headers["x-forwarded-host"] ??= req.headers.host;
  req.headers["x-forwarded-port"] ??= String(socket.localPort ?? "");
  req.headers["x-forwarded-proto"] ??= socket.encrypted ? "https" : "http";
  req.headers["x-forwarded-for"] ??= socket.remoteAddress;
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
