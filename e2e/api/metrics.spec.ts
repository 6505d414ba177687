import { cast, expect, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, demoCaller, type Caller } from "./callers";

/**
 * GET /metrics as Prometheus scrapes it (issue 24): behind METRICS_TOKEN on
 * the main listener here (scripts/test-e2e.mjs sets it), the figures moving
 * when the events happen, labels by route template, never a raw path.
 */
const TOKEN = process.env.E2E_METRICS_TOKEN ?? "";

/** The sum of a metric's samples whose labels include `labels` (0 when there is none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

test.describe("metrics", () => {
  let operator: Caller;

  test.beforeEach(async ({ playwright, target }) => {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    operator = await demoCaller(session, target, cast.operator);
    await session.dispose();
  });

  test("only the configured bearer token scrapes them", async ({ request }) => {
    expect(TOKEN, "scripts/test-e2e.mjs passes the servers' METRICS_TOKEN").not.toBe("");
    const none = await request.get("/metrics");
    expect(none.status()).toBe(401);
    expect(none.headers()["www-authenticate"]).toMatch(/^Bearer/);
    expect((await request.get("/metrics", { headers: { authorization: "Bearer not-the-token-at-all" } })).status()).toBe(401);
    // A session's bearer token is no scrape token either.
    expect((await request.get("/metrics", { headers: operator.headers })).status()).toBe(401);
    const scrape = await request.get("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scrape.status()).toBe(200);
    expect(scrape.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    // Node's own (prom-client's defaults), the pool's, the product's.
    for (const name of ["process_cpu_user_seconds_total", "nodejs_eventloop_lag_seconds", "plexsphere_database_pool_connections"])
      expect(text, name).toContain(`\n${name}`);
    for (const name of ["plexsphere_secret_deletions_owed", "plexsphere_audit_entries_unsealed", "plexsphere_audit_seal_lag_seconds"])
      expect(text, name).toMatch(new RegExp(`\\n${name} \\d`));
  });

  test("issuing a credential moves the request counter, the engine's calls and the credentials gauge", async ({ request }) => {
    const scrape = async () => (await request.get("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const cloud = await (await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug()) })).json();
    const issues = { method: "POST", route: "/v1/clouds/[id]/cloud-credentials", status: "201" };
    const before = await scrape();

    const issued = await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: operator.headers,
      data: { display_name: "metered", payload: b64("s"), allow_unusual_shape: true },
    });
    expect(issued.status()).toBe(201);
    const after = await scrape();

    expect(sample(after, "plexsphere_http_requests_total", issues)).toBe(sample(before, "plexsphere_http_requests_total", issues) + 1);
    expect(sample(after, "plexsphere_http_request_duration_seconds_count", issues)).toBe(
      sample(before, "plexsphere_http_request_duration_seconds_count", issues) + 1,
    );
    const creates = { operation: "create", outcome: "ok" };
    expect(sample(after, "plexsphere_secrets_engine_call_duration_seconds_count", creates)).toBeGreaterThan(
      sample(before, "plexsphere_secrets_engine_call_duration_seconds_count", creates),
    );
    // Rows are never deleted: the sum over statuses moves by the one issued (one worker runs the specs).
    expect(sample(after, "plexsphere_credentials")).toBe(sample(before, "plexsphere_credentials") + 1);
    expect(sample(after, "plexsphere_credentials", { status: "active" })).toBe(
      sample(before, "plexsphere_credentials", { status: "active" }) + 1,
    );
    // Label values are templates: no raw path (here, the Cloud's id) ever becomes one.
    expect(after).not.toContain(cloud.id);
  });

  test("the probes: /livez and /readyz answer 200 with every dependency up", async ({ request }) => {
    expect((await request.get("/livez")).status()).toBe(200);
    const ready = await request.get("/readyz");
    expect(ready.status()).toBe(200);
    const body = await ready.json();
    expect(body.status).toBe("ready");
    expect(body.checks.map((c: { name: string; status: string }) => `${c.name} ${c.status}`)).toEqual([
      "database ok",
      "secrets_engine ok",
      "migrations ok",
    ]);
  });
});
