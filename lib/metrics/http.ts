import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { correlationId } from "@/lib/http/correlation";
import { problemBody } from "@/lib/http/problem-body";
import { metrics } from "./registry";

/**
 * GET /metrics in Prometheus's text format. Where it is served is the
 * operator's choice (docs/operations/observability.md): METRICS_PORT, its
 * own listener (loopback by default) and not the public one; else
 * METRICS_TOKEN, on the public listener behind `Authorization: Bearer`;
 * neither, nowhere (the path is Next's 404 like any unknown page).
 */
export interface MetricsExposure {
  /** Bearer token a scrape must present; none on a listener of its own without METRICS_TOKEN. */
  token?: string;
}

/** Answers /metrics and says true; false for every other path (the request goes on). */
export function answerMetrics(req: IncomingMessage, res: ServerResponse, exposure: MetricsExposure): boolean {
  const path = (req.url ?? "/").split("?")[0];
  if (path !== "/metrics") return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    problem(res, 405, "method_not_allowed", "metrics answer GET and HEAD", { allow: "GET, HEAD" });
    return true;
  }
  if (exposure.token !== undefined && !bearerMatches(req.headers.authorization, exposure.token)) {
    problem(res, 401, "unauthenticated", "metrics need the configured bearer token", { "www-authenticate": 'Bearer realm="metrics"' });
    return true;
  }
  const { registry } = metrics();
  registry.metrics().then(
    (text) => {
      res.statusCode = 200;
      res.setHeader("content-type", registry.contentType);
      res.setHeader("cache-control", "no-store");
      res.setHeader("content-length", Buffer.byteLength(text));
      res.end(req.method === "HEAD" ? undefined : text);
    },
    () => problem(res, 500, "internal_error", "the metrics could not be collected"),
  );
  return true;
}

// Compared as digests, so neither the length nor the content leaks through timing.
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? "");
  if (!match) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

function problem(res: ServerResponse, status: number, code: string, detail: string, headers: Record<string, string> = {}) {
  const text = JSON.stringify(problemBody(status, code, detail, "/metrics", correlationId()));
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("content-type", "application/problem+json");
  res.setHeader("cache-control", "no-store");
  res.end(text);
}

/** A request's count and latency, under the labels server.ts names it by (lib/api/routes.ts: never a raw path), once answered. */
export function observeRequest(res: ServerResponse, labels: { method: string; route: string }): void {
  const started = performance.now();
  res.once("finish", () => {
    const m = metrics();
    const observed = { ...labels, status: String(res.statusCode) };
    m.httpRequests.inc(observed);
    m.httpDuration.observe(observed, (performance.now() - started) / 1000);
  });
}
