import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { answerProbe, Readiness, type ProbeCheck } from "./probes";

/** A server answering the probes as server.ts does, over checks the test sets; what a client sees of each path. */
async function withProbes(
  checks: () => ProbeCheck[],
  run: (get: (path: string, method?: string) => Promise<Answer>, readiness: Readiness) => Promise<void>,
) {
  const readiness = new Readiness(async () => checks());
  const server = createServer((req, res) => {
    if (!answerProbe(req, res, readiness)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await run(async (path, method = "GET") => {
      const got = await fetch(`http://127.0.0.1:${port}${path}`, { method });
      const text = await got.text();
      return { status: got.status, headers: got.headers, body: text ? JSON.parse(text) : undefined };
    }, readiness);
  } finally {
    server.close();
  }
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

const ok = (name: string): ProbeCheck => ({ name, status: "ok", detail: "reachable in 1ms" });
const down = (name: string): ProbeCheck => ({ name, status: "down", detail: "unreachable" });

test("ready while every check passes; /livez asks nobody", async () => {
  let asked = 0;
  await withProbes(
    () => {
      asked++;
      return [ok("database"), ok("secrets_engine"), ok("migrations")];
    },
    async (get) => {
      const live = await get("/livez");
      assert.equal(live.status, 200);
      assert.deepEqual(live.body, { status: "ok" });
      assert.equal(asked, 0);
      const ready = await get("/readyz");
      assert.equal(ready.status, 200);
      assert.equal(ready.body?.status, "ready");
      assert.equal(ready.headers.get("cache-control"), "no-store");
      assert.equal(asked, 1);
      assert.equal((await get("/other")).status, 418, "any other path goes on to the server's routing");
    },
  );
});

test("the secrets engine down: /readyz is 503 naming it, with Retry-After, while /livez stays 200", async () => {
  await withProbes(
    () => [ok("database"), down("secrets_engine"), ok("migrations")],
    async (get) => {
      const ready = await get("/readyz");
      assert.equal(ready.status, 503);
      assert.equal(ready.headers.get("content-type"), "application/problem+json");
      assert.equal(ready.headers.get("retry-after"), "5");
      assert.equal(ready.body?.code, "not_ready");
      assert.deepEqual(ready.body?.down, ["secrets_engine"]);
      assert.match(String(ready.body?.detail), /secrets_engine/);
      assert.equal((await get("/livez")).status, 200);
    },
  );
});

test("after the shutdown signal /readyz is 503 draining without asking the dependencies; /livez still 200", async () => {
  let asked = 0;
  await withProbes(
    () => {
      asked++;
      return [ok("database")];
    },
    async (get, readiness) => {
      readiness.drain();
      const ready = await get("/readyz");
      assert.equal(ready.status, 503);
      assert.equal(ready.body?.code, "draining");
      assert.equal(ready.headers.get("retry-after"), "5");
      assert.equal(asked, 0);
      assert.equal((await get("/livez")).status, 200);
    },
  );
});

test("HEAD answers without a body; other methods are 405 with Allow", async () => {
  await withProbes(
    () => [ok("database")],
    async (get) => {
      const head = await get("/readyz", "HEAD");
      assert.equal(head.status, 200);
      assert.equal(head.body, undefined);
      const post = await get("/livez", "POST");
      assert.equal(post.status, 405);
      assert.equal(post.headers.get("allow"), "GET, HEAD");
    },
  );
});
