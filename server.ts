/**
 * The console's server: one process, one listener, the request flow in the
 * order it runs (docs/adr/0003-server-entry.md):
 *
 *   listener → edge (refusals, security headers) → /livez, /readyz → client address
 *            → /v1 route table (lib/api/routes.ts) or Next's request handler
 *
 * Built by scripts/build-server.mjs to dist/server.mjs, which `npm start`
 * runs. `next dev` does without it (instrumentation.ts boots there).
 *
 * Only configuration is imported statically: what the rest loads (PGlite's
 * and Prisma's WebAssembly, Next and React) must come after the V8 flag and
 * NODE_ENV below, so it is imported once they are set.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import v8 from "node:v8";
import nextEnv from "@next/env";
import { CORRELATION_HEADER, withCorrelationId, type RequestContext } from "@/lib/http/correlation";
import { answerClientError, admitRequest } from "@/lib/http/edge";
import { settleClientAddress } from "@/lib/auth/client-address";
import { env, serveProductionBuild, type Env } from "@/lib/env";
import { log } from "@/lib/log";

const root = path.resolve(import.meta.dirname, "..");

serveProductionBuild();
// DATABASE_URL and the rest may come from .env files: read them as Next does, before the configuration is parsed.
nextEnv.loadEnvConfig(root, false, { info: () => {}, error: (...args: unknown[]) => console.error(...args) });

let config: Env | undefined;
try {
  config = env();
} catch {
  // boot() reports the configuration's problems, in its one log line.
}
// The embedded database is PostgreSQL compiled to WebAssembly, in this process. V8 keeps both a
// baseline and an optimised compilation of it: about 100 MB of idle memory. Without DATABASE_URL the
// console keeps the baseline only (a somewhat slower embedded database). Set before any module compiles.
if (config && !config.databaseUrl) v8.setFlagsFromString("--liftoff-only");

const { boot } = await import("@/lib/boot");
const booted = await boot();
const { listen, trustProxy, metrics } = env();

const { default: next } = await import("next");
const app = next({ dev: false, dir: root, hostname: listen.hostname ?? "localhost", port: listen.port });
try {
  await app.prepare();
} catch (error) {
  log.error("boot.failed", { error: error instanceof Error ? error.name : "unknown", stage: "next" });
  process.exit(1);
}
const nextHandler = app.getRequestHandler();
// After Next is prepared: the route modules import next/headers, whose request stores need the
// AsyncLocalStorage Next's server installs on globalThis as it loads.
const [
  { apiDispatchFor, methodLabel, routeTemplateFor },
  { serveApiRequest },
  { drainOnSignals },
  { answerProbe, Readiness },
  { readinessChecks },
  { answerMetrics, observeRequest },
  { registerGauges },
] = await Promise.all([
  import("@/lib/api/routes"),
  import("@/lib/http/node-bridge"),
  import("@/lib/http/shutdown"),
  import("@/lib/http/probes"),
  import("@/lib/health"),
  import("@/lib/metrics/http"),
  import("@/lib/metrics/gauges"),
]);
registerGauges();
// /livez and /readyz (lib/http/probes.ts); readiness turns false at the shutdown signal (lib/http/shutdown.ts).
const readiness = new Readiness(readinessChecks);

/**
 * The one place a request enters: it gets its correlation id here (never the
 * client's: lib/http/correlation.ts), on the request for Next's handlers, on
 * every answer, and as the context everything it runs reads.
 */
function onRequest(req: IncomingMessage, res: ServerResponse) {
  const started = performance.now();
  const id = randomUUID();
  // Read before anything runs: Next may rewrite req.url.
  const method = methodLabel(req.method);
  const route = routeTemplateFor((req.url ?? "/").split("?")[0]);
  req.headers[CORRELATION_HEADER] = id;
  delete req.headers["x-request-id"];
  res.setHeader(CORRELATION_HEADER, id);
  withCorrelationId(id, (context) => {
    res.once("close", () => logRequest({ method, route, started, context, res }));
    observeRequest(res, { method, route });
    answer(req, res);
  });
}

/**
 * The request's one line, when its answer is done (or its connection gone):
 * the route's template, never the path, the query or a body
 * (docs/operations/logging.md).
 */
function logRequest({ method, route, started, context, res }: RequestLine) {
  const status = res.statusCode;
  (status >= 500 ? log.warn : log.info)("http.request", {
    method,
    route,
    status,
    duration_ms: Math.round((performance.now() - started) * 10) / 10,
    actor_id: context.actorId,
    correlation_id: context.id,
    ...(res.writableFinished ? {} : { aborted: true }),
  });
}

interface RequestLine {
  method: string;
  route: string;
  started: number;
  context: RequestContext;
  res: ServerResponse;
}

function answer(req: IncomingMessage, res: ServerResponse) {
  const pathname = (req.url ?? "/").split("?")[0];
  if (!admitRequest(req, res)) return;
  if (answerProbe(req, res, readiness)) return;
  // On the main listener only with a token and no listener of its own; otherwise Next's 404, like any unknown page.
  if (metrics.token !== undefined && !metrics.listen && answerMetrics(req, res, { token: metrics.token })) return;
  settleClientAddress(req, { trustProxy });
  const api = apiDispatchFor(req.method ?? "", pathname);
  if (api) {
    void serveApiRequest(req, res, api.handler, api.params);
    return;
  }
  nextHandler(req, res).catch(() => {
    // Next answers its own errors; this is a failure of the handler itself.
    log.error("request.failed", { path: (req.url ?? "/").split("?")[0].slice(0, 256) });
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
}

const server = createServer(onRequest);
server.on("clientError", answerClientError);
drainOnSignals(server, booted, readiness);
server.on("error", (error: NodeJS.ErrnoException) => {
  log.error("boot.failed", { error: error.code ?? error.name, stage: "listen", port: listen.port });
  process.exit(1);
});
server.listen(listen.port, listen.hostname, () => {
  log.info("server.listening", { port: listen.port, hostname: listen.hostname ?? "*" });
});

// METRICS_PORT: /metrics on a listener of its own (loopback unless METRICS_HOSTNAME says otherwise), and nothing else there.
if (metrics.listen) {
  const { port, hostname } = metrics.listen;
  const metricsServer = createServer((req, res) =>
    withCorrelationId(randomUUID(), () => {
      if (!answerMetrics(req, res, { token: metrics.token })) res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }),
  );
  metricsServer.on("error", (error: NodeJS.ErrnoException) => {
    log.error("boot.failed", { error: error.code ?? error.name, stage: "metrics_listen", port });
    process.exit(1);
  });
  // It never holds the process open: the shutdown ends with the main listener's drain.
  metricsServer.listen(port, hostname, () => log.info("metrics.listening", { port, hostname }));
  metricsServer.unref();
}
