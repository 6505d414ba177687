import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { expect, test } from "../fixtures";

/**
 * /v1 requests are answered by their route handlers straight from the server
 * entry's route table (server.ts, lib/api/routes.ts); HEAD is still Next's.
 * These check that what a client sees does not depend on who routed it.
 */

type Answer = { status: number; headers: IncomingHttpHeaders; body: string; reusedSocket: boolean };

function send(url: string, options: { method: string; headers?: Record<string, string>; body?: Buffer; agent?: Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method, headers: options.headers, agent: options.agent });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          reusedSocket: req.reusedSocket,
        }),
      );
    });
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error("no answer within 15 s")));
    req.end(options.body);
  });
}

/**
 * What a client sees of an answer's headers, minus what differs per answer
 * or per transfer, and Next's Vary on its router headers (an API answer
 * is never cached and has no router state, so the dispatcher sends none).
 */
const PER_ANSWER = new Set(["date", "content-length", "transfer-encoding", "connection", "keep-alive", "vary", "x-correlation-id"]);
function visible(headers: IncomingHttpHeaders) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_ANSWER.has(name)));
}

test("a /v1 route answered from the table carries the headers Next gives it", async ({ target }) => {
  const url = `${target.baseURL}/v1/clouds`;
  const dispatchedAnswer = await send(url, { method: "GET" });
  // HEAD is always Next's: it runs the GET handler and sends its headers.
  const nextAnswer = await send(url, { method: "HEAD" });
  expect(dispatchedAnswer.status).toBe(401);
  expect(nextAnswer.status).toBe(401);
  expect(visible(dispatchedAnswer.headers)).toEqual(visible(nextAnswer.headers));
  // Each answer names its own request (lib/http/correlation.ts), whoever routed it.
  expect(dispatchedAnswer.headers["x-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(nextAnswer.headers["x-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(dispatchedAnswer.headers["content-type"]).toBe("application/problem+json");
  expect(dispatchedAnswer.headers["x-frame-options"]).toBe("DENY");
  expect(JSON.parse(dispatchedAnswer.body)).toMatchObject({ status: 401, code: "unauthenticated", instance: "/v1/clouds" });
});

test("a write refused before its body is read leaves the keep-alive connection usable", async ({ target }) => {
  const url = `${target.baseURL}/v1/clouds/00000000-0000-4000-8000-000000000000/cloud-credentials`;
  // Far past what one socket read holds: a body read ahead of the handler would stall here.
  const body = Buffer.from(JSON.stringify({ display_name: "x".repeat(1_000_000), payload: Buffer.from("secret").toString("base64") }));
  const headers = { "content-type": "application/json", "content-length": String(body.length) };

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const answers: Answer[] = [];
    for (let i = 0; i < 3; i++) answers.push(await send(url, { method: "POST", headers, body, agent }));
    answers.push(await send(`${target.baseURL}/v1/health`, { method: "GET", agent }));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 200]);
    // One connection carried all four: each unread body was drained, not left in the way of the next request.
    expect(answers.map((a) => a.reusedSocket)).toEqual([false, true, true, true]);
  } finally {
    agent.destroy();
  }
});
