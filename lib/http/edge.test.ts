import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { refusalFor } from "./edge";

describe("requests refused before routing", () => {
  test("methods a fetch Request cannot carry, or Node does not serve, are 405 problems naming the served ones", () => {
    for (const method of ["TRACE", "TRACK", "CONNECT", "PROPFIND", "MKCOL", "SEARCH", "PURGE", undefined]) {
      const refusal = refusalFor(method, "/v1/health");
      assert.equal(refusal?.status, 405, String(method));
      assert.equal(refusal?.code, "method_not_allowed");
      assert.match(refusal?.headers?.allow ?? "", /GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS/);
    }
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
      assert.equal(refusalFor(method, "/v1/health"), undefined);
  });

  test("a path that is not percent-encoded UTF-8 is a 400 problem; an odd but valid one goes on to routing", () => {
    for (const path of ["/v1/nope/%ff", "/v1/%", "/v1/clouds/%zz", "/%c0%af", "/login/%ED%A0%80"]) {
      assert.equal(refusalFor("GET", path)?.code, "invalid_path", path);
    }
    for (const path of ["/v1/%00", "/v1/clouds/%F0%9F%92%A9?limit=%ff", "/login?callbackUrl=%", "http://localhost/v1/health"]) {
      assert.equal(refusalFor("GET", path), undefined, path);
    }
  });
});
