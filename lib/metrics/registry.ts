import client from "prom-client";

/**
 * The console's Prometheus metrics (GET /metrics, lib/metrics/http.ts): one
 * registry per process, on the process rather than in this module, because
 * the server entry's bundle and each of Next's bundles hold their own copy
 * of lib/ (a sign-in throttle is counted in Next's, a request in the
 * entry's). Whichever copy comes first makes it; the others find it.
 *
 * Labels are bounded: a route is its template from the /v1 table (never a
 * raw path), "page" or "other"; a status is the number; an operation is one
 * of the SecretStore's methods.
 */
export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<"method" | "route" | "status">;
  httpDuration: client.Histogram<"method" | "route" | "status">;
  secretsEngineDuration: client.Histogram<"operation" | "outcome">;
  secretsEngineErrors: client.Counter<"operation">;
  reminderSends: client.Counter<never>;
  reminderFailures: client.Counter<never>;
  signInThrottles: client.Counter<never>;
  reconcileOrphansFound: client.Counter<never>;
  reconcileOrphansDestroyed: client.Counter<never>;
  /** Gauges read at scrape time (pool sizes, backlogs, credentials), added by the server entry. */
  gauge(name: string, help: string, labelNames: string[], collect: (gauge: client.Gauge<string>) => Promise<void> | void): void;
}

const KEY = Symbol.for("plexsphere.metrics");
const holder = globalThis as unknown as { [KEY]?: Metrics };

// Request and engine latencies: from a fast read (a few ms) to a request that waits out an outage.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function metrics(): Metrics {
  holder[KEY] ??= create();
  return holder[KEY];
}

function create(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const gauges = new Set<string>();
  return {
    registry,
    httpRequests: new client.Counter({
      name: "plexsphere_http_requests_total",
      help: "Requests answered, by method, route template and status",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpDuration: new client.Histogram({
      name: "plexsphere_http_request_duration_seconds",
      help: "From the request's arrival to the end of its answer, by method, route template and status",
      labelNames: ["method", "route", "status"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    secretsEngineDuration: new client.Histogram({
      name: "plexsphere_secrets_engine_call_duration_seconds",
      help: "Secrets engine calls by operation and outcome (ok, conflict, unavailable, error)",
      labelNames: ["operation", "outcome"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    secretsEngineErrors: new client.Counter({
      name: "plexsphere_secrets_engine_call_errors_total",
      help: "Secrets engine calls that failed (unreachable or an unexpected answer; a version conflict is no error)",
      labelNames: ["operation"],
      registers,
    }),
    reminderSends: new client.Counter({ name: "plexsphere_reminder_sends_total", help: "Expiry reminder digests delivered", registers }),
    reminderFailures: new client.Counter({
      name: "plexsphere_reminder_failures_total",
      help: "Expiry reminder digests whose delivery failed",
      registers,
    }),
    signInThrottles: new client.Counter({
      name: "plexsphere_sign_in_throttles_total",
      help: "Password sign-ins refused with 429 by the throttle",
      registers,
    }),
    reconcileOrphansFound: new client.Counter({
      name: "plexsphere_reconcile_orphans_found_total",
      help: "Secrets without a credential row seen by a reconcile pass (one within the grace is seen again by the next pass)",
      registers,
    }),
    reconcileOrphansDestroyed: new client.Counter({
      name: "plexsphere_reconcile_orphans_destroyed_total",
      help: "Orphaned secrets destroyed by reconcile after the grace",
      registers,
    }),
    gauge(name, help, labelNames, collect) {
      // Once per process, whichever copy of lib/ asks first.
      if (gauges.has(name)) return;
      gauges.add(name);
      new client.Gauge({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          await collect(this);
        },
      });
    },
  };
}
