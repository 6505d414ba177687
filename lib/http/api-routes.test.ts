import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { matchApiRoute, routeSegments } from "./api-routes";

/** A slice of the API's route folders (lib/api/routes.ts holds them all). */
const patterns = [
  "/v1/clouds",
  "/v1/clouds/[id]",
  "/v1/clouds/[id]/cloud-credentials",
  "/v1/auth/tokens/[id]",
  "/v1/auth/tokens/current",
  "/v1/admin/groups/[id]/members/[principal_id]",
  "/v1/openapi.json",
];
const table = patterns.map((pattern) => ({ pattern, segments: routeSegments(pattern) }));
const routeOf = (path: string) => matchApiRoute(table, path)?.route.pattern;

describe("the /v1 route table", () => {
  test("a route folder is its segments; one the match could not honour (a catch-all) is refused", () => {
    assert.deepEqual(routeSegments("/v1/clouds/[id]"), [{ static: "v1" }, { static: "clouds" }, { param: "id" }]);
    for (const pattern of ["/v1/[[...rest]]", "/v1/[...rest]", "/v1/a b"]) assert.throws(() => routeSegments(pattern), pattern);
  });

  test("a path goes to its route, with its parameters", () => {
    const id = "0b7e3c1e-8d3a-4c1f-9f7e-2a1b3c4d5e6f";
    assert.deepEqual(matchApiRoute(table, `/v1/clouds/${id}/cloud-credentials`), {
      route: table.find((r) => r.pattern === "/v1/clouds/[id]/cloud-credentials"),
      params: { id },
    });
    assert.deepEqual(matchApiRoute(table, "/v1/admin/groups/g1/members/user:alice@example.com")?.params, {
      id: "g1",
      principal_id: "user:alice@example.com",
    });
    assert.equal(routeOf("/v1/openapi.json"), "/v1/openapi.json");
  });

  test("a static segment wins over a parameter, as in Next's router", () => {
    assert.equal(routeOf("/v1/auth/tokens/current"), "/v1/auth/tokens/current");
    assert.equal(routeOf("/v1/auth/tokens/tok_1"), "/v1/auth/tokens/[id]");
  });

  test("what Next would redirect or decode, or no route serves, is no match", () => {
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
