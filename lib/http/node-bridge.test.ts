import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { writeResponse } from "./node-bridge";
import { API_HEADERS } from "./security-headers";

/**
 * How a /v1 route's Response reaches the client (lib/http/node-bridge.ts
 * `writeResponse`), against what Next's sendResponse does with the same Response.
 */
async function answer(response: () => Response) {
  const server = createServer((_req, res) => {
    // What lib/http/edge.ts sets before a /v1 request is answered (next.config.mjs's headers on Next's path).
    for (const [name, value] of Object.entries(API_HEADERS)) res.setHeader(name, value);
    void writeResponse(res, response());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const got = await fetch(`http://127.0.0.1:${port}/`);
    return { status: got.status, headers: got.headers, cookies: got.headers.getSetCookie(), body: await got.text() };
  } finally {
    server.close();
  }
}

test("the server's fixed API headers win over a handler's, as on Next's path; cookies each on their own", async () => {
  const got = await answer(() => {
    const headers = new Headers({ "cache-control": "no-store", "content-type": "application/json", "content-length": "999" });
    headers.append("set-cookie", "a=1; Path=/");
    headers.append("set-cookie", "b=2; Path=/, with a comma");
    return new Response('{"ok":true}', { status: 201, headers });
  });
  assert.equal(got.status, 201);
  assert.equal(got.headers.get("cache-control"), API_HEADERS["cache-control"]);
  assert.equal(got.headers.get("content-type"), "application/json");
  // The body's own length, not the handler's claim.
  assert.equal(got.headers.get("content-length"), String(Buffer.byteLength('{"ok":true}')));
  assert.deepEqual(got.cookies, ["a=1; Path=/", "b=2; Path=/, with a comma"]);
  assert.equal(got.body, '{"ok":true}');
});

test("a streamed body arrives whole, and an empty one ends the answer", async () => {
  const chunks = ["one,", "two,", "three"];
  const streamed = await answer(
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
            controller.close();
          },
        }),
      ),
  );
  assert.equal(streamed.body, chunks.join(""));
  const empty = await answer(() => new Response(null, { status: 204 }));
  assert.equal(empty.status, 204);
  assert.equal(empty.body, "");
});
