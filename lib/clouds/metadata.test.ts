import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cloudMetadataProblem } from "./metadata";

describe("Cloud metadata (endpoint, region_defaults over the API)", () => {
  it("takes free-form JSON objects: numbers, booleans, null, arrays, nesting", () => {
    assert.equal(
      cloudMetadataProblem({ url: "https://a.example", port: 443, tls: { verify: true, ca: null }, zones: ["a", "b"] }),
      undefined,
    );
    assert.equal(cloudMetadataProblem({}), undefined);
  });

  it("refuses what is not an object, and keys a JavaScript reader would drop or misread", () => {
    for (const value of [[], "x", 1, null]) assert.match(cloudMetadataProblem(value)!, /JSON object/);
    for (const json of ['{"__proto__": {"admin": true}}', '{"a": {"constructor": 1}}', '{"prototype": 1}']) {
      assert.match(cloudMetadataProblem(JSON.parse(json))!, /not allowed/, json);
    }
    assert.match(cloudMetadataProblem({ "a key": 1 })!, /keys are/);
  });

  it("is bounded: depth, size, string length, control characters", () => {
    let deep: object = { leaf: 1 };
    for (let i = 0; i < 8; i += 1) deep = { n: deep };
    assert.match(cloudMetadataProblem(deep)!, /deeper/);
    assert.match(cloudMetadataProblem({ list: Array.from({ length: 65 }, (_, i) => i) })!, /more than 64/);
    assert.match(
      cloudMetadataProblem(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, Array.from({ length: 60 }, () => 1)])))!,
      /more than 256/,
    );
    assert.match(cloudMetadataProblem({ s: "x".repeat(1025) })!, /longer/);
    assert.match(cloudMetadataProblem({ s: "a\u0000b" })!, /not allowed/);
  });
});
