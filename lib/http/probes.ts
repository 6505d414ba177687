import type { IncomingMessage, ServerResponse } from "node:http";
import { RETRY_AFTER_SECONDS } from "@/lib/unavailable";
import { correlationId } from "./correlation";
import { problemBody } from "./problem-body";

/**
 * /livez and /readyz, for a supervisor and a load balancer; answered by the
 * server entry (server.ts) before the /v1 table and Next. They are not /v1
 * contract paths (/v1/health keeps the contract's shape).
 *
 * /livez: the process serves; no dependency is asked, so an outage never
 * gets a healthy process restarted. /readyz: every check passes now (nothing
 * cached), else 503 naming what is down, with Retry-After. Once a signal has
 * started the shutdown (lib/http/shutdown.ts), /readyz is 503 `draining`
 * without asking anyone, while the listener still accepts for
 * READINESS_DRAIN_SECONDS: the load balancer stops sending first.
 */
export interface ProbeCheck {
  name: string;
  status: "ok" | "down";
  detail: string;
}

export interface ReadinessReport {
  status: "ready" | "not_ready" | "draining";
  checks: ProbeCheck[];
}

export class Readiness {
  #draining = false;

  constructor(private readonly checks: () => Promise<ProbeCheck[]>) {}

  /** From now on not ready, whatever the dependencies say; there is no way back (the process is ending). */
  drain(): void {
    this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }

  async report(): Promise<ReadinessReport> {
    if (this.#draining) return { status: "draining", checks: [] };
    const checks = await this.checks();
    // A signal that came while the checks ran wins: the answer must not say ready after it.
    if (this.#draining) return { status: "draining", checks };
    return { status: checks.every((c) => c.status === "ok") ? "ready" : "not_ready", checks };
  }
}

const PROBE_PATHS = new Set(["/livez", "/readyz"]);

/** Answers a probe path and says true; false for every other path (the request goes on). */
export function answerProbe(req: IncomingMessage, res: ServerResponse, readiness: Readiness): boolean {
  const path = (req.url ?? "/").split("?")[0];
  if (!PROBE_PATHS.has(path)) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(req, res, 405, problemBody(405, "method_not_allowed", "probes answer GET and HEAD", path, correlationId()), {
      allow: "GET, HEAD",
    });
    return true;
  }
  if (path === "/livez") {
    send(req, res, 200, { status: "ok" });
    return true;
  }
  void readiness.report().then(
    (report) => {
      if (report.status === "ready") {
        send(req, res, 200, report);
        return;
      }
      const down = report.checks.filter((c) => c.status === "down").map((c) => c.name);
      const detail = report.status === "draining" ? "the server is shutting down" : `not ready: ${down.join(", ")} down`;
      const code = report.status === "draining" ? "draining" : "not_ready";
      send(
        req,
        res,
        503,
        { ...problemBody(503, code, detail, path, correlationId()), down, checks: report.checks },
        {
          "retry-after": String(RETRY_AFTER_SECONDS),
        },
      );
    },
    () => send(req, res, 503, problemBody(503, "not_ready", "readiness could not be determined", path, correlationId())),
  );
  return true;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("content-type", status >= 400 ? "application/problem+json" : "application/json");
  res.setHeader("cache-control", "no-store");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(req.method === "HEAD" ? undefined : text);
}
