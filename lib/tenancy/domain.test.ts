import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { domainResponseSchema } from "@/lib/api/schemas";
import { domainToWire } from "@/lib/api/wire";
import { meshCidrField } from "@/lib/validation";
import { DEFAULT_DOMAIN } from "./domain";

describe("the Domain on the wire", () => {
  test("mesh_cidr is a canonical CIDR or absent, never the empty string the newest contract's clients refuse", () => {
    const wire = domainToWire(DEFAULT_DOMAIN);
    assert.ok(!("mesh_cidr" in wire), `sent ${JSON.stringify(wire)}`);
    assert.ok(domainResponseSchema.safeParse(wire).success);
    assert.equal(domainResponseSchema.safeParse({ ...wire, mesh_cidr: "" }).success, false);
    assert.deepEqual(domainToWire({ ...DEFAULT_DOMAIN, meshCidr: "10.42.0.0/16" }).mesh_cidr, "10.42.0.0/16");
  });

  test("mesh_cidr input is held to the newest pattern and 49 characters", () => {
    for (const good of ["10.42.0.0/16", "fd00::/8", "2001:db8:0:0:0:0:0:0/32"]) assert.ok(meshCidrField.safeParse(good).success, good);
    for (const bad of ["", "10.42.0.0", "10.42.0.0/16 ", "example.com/16", "fd00::/1234", `${"f:".repeat(24)}:/8`])
      assert.equal(meshCidrField.safeParse(bad).success, false, bad);
  });
});
