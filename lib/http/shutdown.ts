import "server-only";
import type { Server, ServerResponse } from "node:http";
import type { Booted } from "@/lib/boot";
import { log } from "@/lib/log";
import type { Readiness } from "./probes";

/**
 * SIGTERM/SIGINT, owned by the server entry (server.ts): first /readyz turns
 * 503 (lib/http/probes.ts) while the listener still accepts and answers as
 * usual for READINESS_DRAIN_SECONDS, so a load balancer takes this instance
 * out before its connections are refused; then stop accepting,
 * answer every request already received, then stop the background work and
 * close the pools and the embedded database, and exit 0. A drain that
 * outlasts SHUTDOWN_GRACE_SECONDS (counted from the listener's close) exits
 * 1, so a supervisor sees it.
 *
 * Requests are counted from the server's own `request` event, so a request
 * Node has parsed is never cut off: its connection is told to close once
 * answered (`Connection: close`) instead of being reset. A custom server
 * gets no signal handlers from Next, so nothing else races this one.
 */
export function drainOnSignals(server: Server, booted: Booted, readiness: Readiness): void {
  const answering = new Set<ServerResponse>();
  let draining = false;

  server.on("request", (_req, res: ServerResponse) => {
    answering.add(res);
    res.once("close", () => answering.delete(res));
    if (draining) res.setHeader("connection", "close");
  });

  let signalled = false;
  const signal = (name: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    readiness.drain();
    log.info("shutdown.started", { signal: name, readiness_drain_seconds: booted.readinessDrainMs / 1000, in_flight: answering.size });
    if (booted.readinessDrainMs > 0) setTimeout(drain, booted.readinessDrainMs);
    else drain();
  };

  const drain = () => {
    draining = true;
    log.info("shutdown.closing", { grace_seconds: booted.graceMs / 1000, in_flight: answering.size });
    setTimeout(() => {
      log.error("shutdown.grace_exceeded", { grace_seconds: booted.graceMs / 1000, in_flight: answering.size });
      process.exit(1);
    }, booted.graceMs).unref();
    // Keep-alive clients learn from the answer itself that this connection ends with it.
    for (const res of answering) if (!res.headersSent) res.setHeader("connection", "close");
    server.close(() => {
      booted.stop().then(
        () => {
          log.info("shutdown.complete");
          process.exit(0);
        },
        (error: unknown) => {
          // A pool that will not close is a failed shutdown: say so now rather than at the grace.
          log.error("shutdown.failed", { error: error instanceof Error ? error.message : String(error) });
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  // A second signal while draining changes nothing: the grace still bounds it.
  process.on("SIGTERM", signal);
  process.on("SIGINT", signal);
}
