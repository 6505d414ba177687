import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { SecretStoreUnavailableError, SecretVersionConflictError, type SecretStore } from "@/lib/vault/store";
import { instrumentSecretStore } from "@/lib/vault/instrumented";
import { methodLabel, routeLabel } from "@/lib/http/api-routes";
import { answerMetrics } from "./http";
import { metrics } from "./registry";

/** A sample's value for exactly these labels in the registry now (0 when absent); `_count` names a histogram's count. */
async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const family = name.replace(/_count$/, "");
  const metric = (await metrics().registry.getMetricsAsJSON()).find((m) => m.name === name || m.name === family);
  const match = metric?.values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? metric.name) === name &&
      Object.keys(labels).length === Object.keys(v.labels).length &&
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return match?.value ?? 0;
}

test("one registry per process, whichever copy of the module asks; Node's default metrics in it", async () => {
  assert.equal(metrics(), metrics());
  const text = await metrics().registry.metrics();
  assert.match(text, /^process_cpu_user_seconds_total /m);
  assert.match(text, /^# TYPE plexsphere_http_requests_total counter$/m);
});

test("the instrumented store times every call and counts failures, not version conflicts", async () => {
  let fail: Error | undefined;
  const inner: SecretStore = {
    driver: "embedded",
    create: async () => {
      if (fail) throw fail;
      return { version: 1 };
    },
    update: async () => ({ version: 2 }),
    read: async () => null,
    softDelete: async () => {},
    destroy: async () => {},
    list: async () => [],
  };
  const store = instrumentSecretStore(inner);
  const calls = (outcome: string) => value("plexsphere_secrets_engine_call_duration_seconds_count", { operation: "create", outcome });
  const errors = () => value("plexsphere_secrets_engine_call_errors_total", { operation: "create" });

  const [ok0, conflict0, down0, errors0] = [await calls("ok"), await calls("conflict"), await calls("unavailable"), await errors()];
  assert.deepEqual(await store.create("a", { payload: "x" } as never), { version: 1 });
  fail = new SecretVersionConflictError("a");
  await assert.rejects(store.create("a", { payload: "x" } as never), SecretVersionConflictError);
  fail = new SecretStoreUnavailableError("down", { engineDown: true });
  await assert.rejects(store.create("a", { payload: "x" } as never), SecretStoreUnavailableError);

  assert.equal(await calls("ok"), ok0 + 1);
  assert.equal(await calls("conflict"), conflict0 + 1);
  assert.equal(await calls("unavailable"), down0 + 1);
  assert.equal(await errors(), errors0 + 1, "a conflict is an answer, not an error");
  assert.equal(store.driver, "embedded");
});

test("labels are bounded whatever a client sends: templates, probes, kinds of page, known methods", () => {
  assert.equal(routeLabel("/v1/clouds/5f0c8e8e-0000-4000-8000-000000000000", "/v1/clouds/[id]"), "/v1/clouds/[id]");
  assert.equal(routeLabel("/clouds/5f0c8e8e-0000-4000-8000-000000000000", undefined), "page");
  assert.equal(routeLabel("/", undefined), "page");
  assert.equal(routeLabel("/v1/no-such-thing/42", undefined), "/v1/[[...rest]]");
  assert.equal(routeLabel("/_next/static/chunks/app.js", undefined), "static");
  assert.equal(routeLabel("/favicon.ico", undefined), "static");
  assert.equal(routeLabel("/readyz", undefined), "/readyz");
  assert.equal(routeLabel("/metrics", undefined), "/metrics");
  assert.equal(methodLabel("POST"), "POST");
  assert.equal(methodLabel(`X${"Y".repeat(50)}`), "other");
  assert.equal(methodLabel(undefined), "other");
});

test("/metrics answers the configured token only; on a listener of its own without a token, anyone there", async () => {
  const scrape = async (token: string | undefined, headers: Record<string, string> = {}, path = "/metrics") => {
    const server = createServer((req, res) => {
      if (!answerMetrics(req, res, { token })) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const got = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { headers });
      return { status: got.status, type: got.headers.get("content-type"), text: await got.text() };
    } finally {
      server.close();
    }
  };
  const token = "scrape-token-0123456789";
  assert.equal((await scrape(token)).status, 401);
  assert.equal((await scrape(token, { authorization: "Bearer scrape-token-012345678" })).status, 401);
  assert.equal((await scrape(token, { authorization: `Basic ${token}` })).status, 401);
  const ok = await scrape(token, { authorization: `Bearer ${token}` });
  assert.equal(ok.status, 200);
  assert.match(ok.type ?? "", /^text\/plain; version=0\.0\.4/);
  assert.match(ok.text, /^plexsphere_http_requests_total|# HELP plexsphere_http_requests_total/m);
  assert.equal((await scrape(undefined)).status, 200);
  assert.equal((await scrape(undefined, {}, "/other")).status, 418, "any other path goes on");
});
