import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { auditFiltersFrom } from "@/lib/audit/filters";
import { cloudCredentialRotateRequestSchema, rebacCheckRequestSchema } from "@/lib/api/schemas";
import { instantString, isStorableInstant, plainString } from "@/lib/validation";

describe("wire strings, numbers and instants stay within what the database stores", () => {
  test("a NUL or another control character in a free-text field is refused", () => {
    for (const bad of ["a\u0000b", "\u0000", "bell\u0007"]) {
      assert.equal(plainString(100).safeParse(bad).success, false, JSON.stringify(bad));
      assert.equal(rebacCheckRequestSchema.safeParse({ subject: bad, relation: "manage", resource: "platform:plexsphere" }).success, false);
    }
    assert.equal(plainString(100).safeParse("tab\tand émoji 💩").success, true);
  });

  test("expected_version stops where the next version would overflow PostgreSQL's integer", () => {
    const body = (v: number) => ({ expected_version: v, payload: "AA==" });
    assert.equal(cloudCredentialRotateRequestSchema.safeParse(body(2_147_483_646)).success, true);
    for (const v of [2_147_483_647, 2 ** 31, 2 ** 53 + 2, 1e308])
      assert.equal(cloudCredentialRotateRequestSchema.safeParse(body(v)).success, false, String(v));
  });

  test("instants outside the years 1 to 9999 are refused, in bodies and audit filters alike", () => {
    assert.equal(isStorableInstant("0001-01-01T00:00:00Z"), true);
    assert.equal(isStorableInstant("0000-01-01"), false);
    assert.equal(instantString.safeParse("0001-01-01T00:00:00+01:00").success, false);
    assert.equal(instantString.safeParse("9999-12-31T23:59:59Z").success, true);
    for (const since of ["0000-01-01", "0000-12-31T23:00:00Z"]) {
      assert.throws(() => auditFiltersFrom(new URLSearchParams({ since })), { code: "invalid_filter", status: 400 });
    }
    assert.throws(() => auditFiltersFrom(new URLSearchParams({ action: "a\u0000" })), { code: "invalid_filter", status: 400 });
    assert.deepEqual(auditFiltersFrom(new URLSearchParams({ since: "2020-01-01" })).since, new Date("2020-01-01"));
  });
});
