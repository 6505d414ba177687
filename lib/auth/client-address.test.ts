import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { clientAddress, settleClientAddress } from "./client-address";

/**
 * What a handler behind the server entry reads as the client's address,
 * for a request sent over a real socket with `headers`, when the entry
 * settles it as server.ts does.
 */
async function addressSeen(trustProxy: boolean, headers: Record<string, string>): Promise<string> {
  const server = createServer((req, res) => {
    settleClientAddress(req, { trustProxy });
    const seen = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") seen.set(name, value);
    res.end(clientAddress(seen));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<string>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/", headers }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
      req.end();
    });
  } finally {
    server.close();
  }
}

describe("the client address the server entry settles", () => {
  test("without TRUST_PROXY a forged X-Forwarded-For is ignored: the socket's address counts", async () => {
    assert.equal(await addressSeen(false, { "x-forwarded-for": "203.0.113.7" }), "127.0.0.1");
    assert.equal(await addressSeen(false, { "x-forwarded-for": "198.51.100.1, 203.0.113.7" }), "127.0.0.1");
    assert.equal(await addressSeen(false, {}), "127.0.0.1");
  });

  test("with TRUST_PROXY the right-most entry, which our proxy appended, counts; none sent is the socket's", async () => {
    assert.equal(await addressSeen(true, { "x-forwarded-for": "198.51.100.1, 203.0.113.7" }), "203.0.113.7");
    assert.equal(await addressSeen(true, {}), "127.0.0.1");
  });
});
