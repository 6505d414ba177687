import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkBody } from "@/lib/api/body";
import {
  cloudCreateRequestSchema,
  cloudCredentialIssueRequestSchema,
  cloudCredentialRotateRequestSchema,
  cloudPatchRequestSchema,
} from "@/lib/api/schemas";
import { createCloudFormSchema } from "@/lib/clouds/schema";
import { credentialKeyValuesSchema } from "@/lib/credentials/schema";
import { fieldErrorsOf } from "./validation";

/**
 * A key named like an Object.prototype member must never be accepted and then
 * lost: JSON.parse keeps "__proto__" as a key, but an object built with `{}`
 * (zod's record among them) turns it into a prototype and the pair is gone.
 */
const RESERVED = ["__proto__", "constructor", "prototype"];

describe("reserved key names are refused, never accepted and dropped", () => {
  for (const key of RESERVED) {
    test(`"${key}" as a credential key-value over the API is 400 invalid_body naming key_values only`, () => {
      const issue = JSON.parse(`{"display_name":"n","payload":"eA==","key_values":{"${key}":"v","region":"eu"}}`);
      assert.throws(
        () => checkBody(issue, cloudCredentialIssueRequestSchema),
        (e: Error & { code?: string; status?: number }) => {
          assert.equal(e.code, "invalid_body");
          assert.equal(e.status, 400);
          assert.match(e.message, /key_values/);
          return true;
        },
      );
      const rotate = JSON.parse(`{"expected_version":1,"payload":"eA==","key_values":{"${key}":"v"}}`);
      assert.throws(() => checkBody(rotate, cloudCredentialRotateRequestSchema), { code: "invalid_body" });
    });

    test(`"${key}" as a Cloud endpoint key over the API is refused on create and patch`, () => {
      const create = JSON.parse(
        `{"display_name":"d","slug":"s","provider":"aws","external_id":"x","region_defaults":{},"endpoint":{"${key}":"https://x.example"}}`,
      );
      assert.throws(() => checkBody(create, cloudCreateRequestSchema), { code: "invalid_body" });
      assert.throws(() => checkBody(JSON.parse(`{"endpoint":{"${key}":"https://x.example"}}`), cloudPatchRequestSchema), {
        code: "invalid_body",
      });
    });

    test(`"${key}" typed into a form's key-value rows is a field error on that row`, () => {
      const rows = [
        { key: "region", value: "eu" },
        { key: ` ${key} `, value: "v" },
      ];
      const credential = credentialKeyValuesSchema.safeParse(rows);
      assert.equal(credential.success, false);
      assert.match(fieldErrorsOf(credential.error!)["1.key"], /reserved/);
      const cloud = createCloudFormSchema.shape.endpoint.safeParse(rows);
      assert.equal(cloud.success, false);
    });
  }

  test("ordinary keys still pass, and keep every pair", () => {
    const parsed = checkBody(
      JSON.parse('{"display_name":"n","payload":"eA==","key_values":{"proto":"1","__proto":"2","Constructor":"3"}}'),
      cloudCredentialIssueRequestSchema,
    );
    assert.deepEqual(parsed.key_values, { proto: "1", __proto: "2", Constructor: "3" });
    const rows = credentialKeyValuesSchema.parse([{ key: "prototype_id", value: "1" }]);
    assert.deepEqual(rows, { prototype_id: "1" });
  });
});
