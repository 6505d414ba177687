import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { apiRouteTable, matchApiRoute } from "./api-routes";

/** A slice of a real build's app-paths manifest (.next/server/app-paths-manifest.json). */
const manifest = {
  "/v1/[[...rest]]/route": "app/v1/[[...rest]]/route.js",
  "/v1/clouds/route": "app/v1/clouds/route.js",
  "/v1/clouds/[id]/route": "app/v1/clouds/[id]/route.js",
  "/v1/clouds/[id]/cloud-credentials/route": "app/v1/clouds/[id]/cloud-credentials/route.js",
  "/v1/auth/tokens/[id]/route": "app/v1/auth/tokens/[id]/route.js",
  "/v1/auth/tokens/current/route": "app/v1/auth/tokens/current/route.js",
  "/v1/admin/groups/[id]/members/[principal_id]/route": "app/v1/admin/groups/[id]/members/[principal_id]/route.js",
  "/v1/openapi.json/route": "app/v1/openapi.json/route.js",
  "/clouds/[id]/page": "app/(console)/clouds/[id]/page.js",
};
const table = apiRouteTable(manifest);
const routeOf = (path: string) => matchApiRoute(table, path)?.route.pattern;

describe("the /v1 route table", () => {
  test("holds the API's routes with their parameters, and neither pages nor the catch-all", () => {
    assert.deepEqual(table.map((r) => r.pattern).sort(), [
      "/v1/admin/groups/[id]/members/[principal_id]",
      "/v1/auth/tokens/[id]",
      "/v1/auth/tokens/current",
      "/v1/clouds",
      "/v1/clouds/[id]",
      "/v1/clouds/[id]/cloud-credentials",
      "/v1/openapi.json",
    ]);
  });

  test("a path goes to its route, with its parameters", () => {
    const id = "0b7e3c1e-8d3a-4c1f-9f7e-2a1b3c4d5e6f";
    assert.deepEqual(matchApiRoute(table, `/v1/clouds/${id}/cloud-credentials`), {
      route: table.find((r) => r.pattern === "/v1/clouds/[id]/cloud-credentials"),
      params: { id },
    });
    assert.deepEqual(matchApiRoute(table, "/v1/admin/groups/g1/members/user:alice@example.com")?.params, { id: "g1", principal_id: "user:alice@example.com" });
    assert.equal(routeOf("/v1/openapi.json"), "/v1/openapi.json");
  });

  test("a static segment wins over a parameter, as in Next's router", () => {
    assert.equal(routeOf("/v1/auth/tokens/current"), "/v1/auth/tokens/current");
    assert.equal(routeOf("/v1/auth/tokens/tok_1"), "/v1/auth/tokens/[id]");
  });

  test("what Next would redirect, decode or answer with its catch-all is left to Next", () => {
    for (const path of [
      "/v1/clouds/",
      "/v1//clouds",
      "/v1/clouds/a%2Fb",
      "/v1/clouds/%61",
      "/v1/clouds/..",
      "/v1/clouds/.",
      "/v1/clouds/./cloud-credentials",
      "/v1/clouds/a b",
      "/v1/nothing-here",
      "/v1/clouds/x/cloud-credentials/extra",
      "/v1",
      "/clouds/x",
      "http://elsewhere/v1/clouds",
    ]) {
      assert.equal(matchApiRoute(table, path), undefined, path);
    }
  });
});
