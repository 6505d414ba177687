import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { cast, expect, test, type Target } from "../fixtures";
import { demoCaller, seededCaller } from "./callers";

/**
 * Every request leaves one line in the server's log when its answer is done
 * (server.ts, docs/operations/logging.md): the route's template rather than
 * the path, the status, the time it took, the caller once the route layer
 * has authenticated one, and the correlation id its answer carried. Never the
 * query string, a body or a header's value.
 */
type Line = Record<string, unknown>;

function requestLines(target: Target, correlationId: string): Line[] {
  return readFileSync(target.serverLog, "utf8")
    .split("\n")
    .filter((text) => text.includes('"event":"http.request"') && text.includes(correlationId))
    .map((text) => JSON.parse(text) as Line);
}

/** The request's line, once written: the answer reaches the client just before the server logs it. */
async function lineOf(target: Target, correlationId: string): Promise<Line> {
  await expect.poll(() => requestLines(target, correlationId).length, { timeout: 5000 }).toBeGreaterThan(0);
  const lines = requestLines(target, correlationId);
  expect(lines, "one line per request").toHaveLength(1);
  return lines[0];
}

test("a /v1 call: one line with the template, status, duration, actor and the answer's correlation id", async ({ request, target }) => {
  const caller = await seededCaller(target, { label: "request-log" });
  const missing = randomUUID();
  const canary = `canary-${randomUUID()}`;
  const response = await request.get(`/v1/cloud-credentials/${missing}?note=${canary}`, { headers: caller.headers });
  expect(response.status()).toBe(404);
  const correlationId = response.headers()["x-correlation-id"];
  expect(((await response.json()) as { correlation_id: string }).correlation_id).toBe(correlationId);

  const line = await lineOf(target, correlationId);
  expect(line).toMatchObject({
    level: "info",
    method: "GET",
    route: "/v1/cloud-credentials/[id]",
    status: 404,
    actor_id: caller.userId,
    correlation_id: correlationId,
  });
  expect(typeof line.duration_ms).toBe("number");
  expect(line.duration_ms as number).toBeGreaterThanOrEqual(0);
  const text = JSON.stringify(line);
  expect(text, "the raw path's id").not.toContain(missing);
  expect(text, "the query string").not.toContain(canary);

  const log = readFileSync(target.serverLog, "utf8");
  expect(log, "the bearer token").not.toContain(caller.token);
  expect(log, "the query string").not.toContain(canary);
});

test("an unauthenticated call has no actor; a page is named as a page, never by its path", async ({ request, target }) => {
  const refused = await request.get("/v1/clouds");
  expect(refused.status()).toBe(401);
  const refusedLine = await lineOf(target, refused.headers()["x-correlation-id"]);
  expect(refusedLine).toMatchObject({ route: "/v1/clouds", status: 401 });
  expect(refusedLine.actor_id).toBeUndefined();

  const slug = `no-such-${randomUUID()}`;
  const page = await request.get(`/clouds/${slug}`, { maxRedirects: 0 });
  const pageLine = await lineOf(target, page.headers()["x-correlation-id"]);
  expect(pageLine).toMatchObject({ method: "GET", route: "page", status: page.status() });
  expect(JSON.stringify(pageLine)).not.toContain(slug);
});

test("a signed-in page names its actor", async ({ playwright, target }) => {
  const session = await playwright.request.newContext({ baseURL: target.baseURL });
  try {
    const caller = await demoCaller(session, target, cast.viewer);
    const page = await session.get("/");
    expect(page.status()).toBe(200);
    expect(await lineOf(target, page.headers()["x-correlation-id"])).toMatchObject({ route: "page", status: 200, actor_id: caller.userId });
  } finally {
    await session.dispose();
  }
});
