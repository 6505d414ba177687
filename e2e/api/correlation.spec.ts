import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { APIResponse } from "@playwright/test";
import { cast, expect, query, test, uniqueSlug } from "../fixtures";
import { cloudBody, demoCaller, seededCaller, type Caller } from "./callers";

/**
 * The newest plexsphere contract requires `correlation_id` on every Problem,
 * echoed in X-Correlation-Id (issue 23). Each status a caller can provoke is
 * asked for here, through each door that answers it: the route wrapper, the
 * catch-all, the body reader, the edge, and the proxy's server-action check.
 */
async function carries(
  response: APIResponse | { status: () => number; headers: () => Record<string, string>; json: () => Promise<unknown> },
  status: number,
) {
  expect(response.status()).toBe(status);
  const headers = response.headers();
  expect(headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as { correlation_id?: unknown; code?: unknown };
  expect(typeof body.correlation_id, `${status} ${body.code}: correlation_id`).toBe("string");
  expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(headers["x-correlation-id"], `${status} ${body.code}: the header repeats the body`).toBe(body.correlation_id);
  return body as { correlation_id: string; code: string };
}

/** A request written by hand: a declared Content-Length over the ceiling, or a method Playwright would not send. */
function raw(url: string, method: string, headers: Record<string, string>, body?: Buffer) {
  return new Promise<{ status: () => number; headers: () => Record<string, string>; json: () => Promise<unknown> }>((resolve, reject) => {
    const req = httpRequest(url, { method, headers });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: () => res.statusCode ?? 0,
          headers: () => Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
          json: async () => JSON.parse(Buffer.concat(chunks).toString("utf8")),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

test.describe("every problem answer names its request", () => {
  let operator: Caller;
  let viewer: Caller;

  test.beforeEach(async ({ playwright, target }) => {
    for (const [set, email] of [
      [(c: Caller) => (operator = c), cast.operator],
      [(c: Caller) => (viewer = c), cast.viewer],
    ] as const) {
      const session = await playwright.request.newContext({ baseURL: target.baseURL });
      set(await demoCaller(session, target, email));
      await session.dispose();
    }
  });

  test("400, 401, 403, 404, 405, 409, 413 and 415 carry correlation_id, the same in X-Correlation-Id", async ({ request, target }) => {
    const slug = uniqueSlug("corr");
    const seen = new Set<string>();
    const add = (body: { correlation_id: string }) => seen.add(body.correlation_id);
    add(await carries(await request.post("/v1/clouds", { headers: operator.headers, data: { display_name: "" } }), 400));
    add(await carries(await request.get("/v1/clouds"), 401));
    add(await carries(await request.post("/v1/clouds", { headers: viewer.headers, data: cloudBody(slug) }), 403));
    add(await carries(await request.get("/v1/no-such-endpoint", { headers: operator.headers }), 404));
    // A path the table leaves to Next (it would decode %63): Next's catch-all answers it.
    add(await carries(await request.get("/v1/%63louds"), 404));
    add(await carries(await request.put("/v1/clouds", { headers: operator.headers, data: {} }), 405));
    add(await carries(await raw(`${target.baseURL}/v1/clouds`, "TRACE", {}), 405));
    expect((await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(slug) })).status()).toBe(201);
    add(await carries(await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(slug) }), 409));
    const big = Buffer.from(JSON.stringify({ display_name: "n".repeat(9000) }));
    add(
      await carries(
        await raw(
          `${target.baseURL}/v1/clouds`,
          "POST",
          { ...operator.headers, "content-type": "application/json", "content-length": String(big.length) },
          big,
        ),
        413,
      ),
    );
    add(
      await carries(await request.post("/v1/clouds", { headers: { ...operator.headers, "content-type": "text/plain" }, data: "x" }), 415),
    );
    // A server action from a foreign page, refused by proxy.ts on Next's side of the front door.
    add(await carries(await request.post("/login", { headers: { origin: "https://evil.example" }, data: "x" }), 403));
    expect(seen.size, "one id per request").toBe(11);
  });

  test("the id is the server's, never the client's, and names the denial's audit entry and log line", async ({ request, target }) => {
    // Someone new: identical denials within a minute are written once (lib/audit/denials.ts).
    const stranger = await seededCaller(target, { label: "corr-stranger" });
    const denied = await carries(
      await request.post("/v1/clouds", {
        headers: { ...stranger.headers, "x-correlation-id": "chosen-by-the-caller", "x-request-id": "also-chosen" },
        data: cloudBody(uniqueSlug("corr")),
      }),
      403,
    );
    expect(denied.correlation_id).not.toBe("chosen-by-the-caller");
    const entries = await query<{ action: string; outcome: string }>(
      target,
      "SELECT action, outcome FROM audit_entries WHERE correlation_id = $1",
      [denied.correlation_id],
    );
    expect(entries.map((e) => e.outcome)).toEqual(["denied"]);
    await expect
      .poll(() => readFileSync(target.serverLog, "utf8").includes(`"correlation_id":"${denied.correlation_id}"`), { timeout: 5000 })
      .toBe(true);
    // Answers that are not problems carry the header too.
    const ok = await request.get("/v1/health", { headers: { "x-correlation-id": "chosen-by-the-caller" } });
    expect(ok.headers()["x-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
