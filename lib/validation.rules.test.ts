import assert from "node:assert/strict";
import { authorizePlatform } from "@/lib/authz/service";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  cloudCredentialIssueRequestSchema,
  cloudCredentialRevokeRequestSchema,
  credentialAssignmentDecisionRequestSchema,
} from "@/lib/api/schemas";
import { groupRequestSchema } from "@/lib/api/identity-schemas";
import { secretInput } from "@/lib/api/secret-input";
import { createCloudFormSchema } from "@/lib/clouds/schema";
import { createCloud } from "@/lib/clouds/service";
import { credentialDisplayNameSchema, credentialKeyValuesSchema } from "@/lib/credentials/schema";
import { authorizeIssue } from "@/lib/credentials/issue";
import { revokeCloudCredential } from "@/lib/credentials/revoke";
import { createGroup } from "@/lib/identity/group-admin";
import { createGroupSchema, GROUP_NAME_MAX } from "@/lib/identity/group-rules";
import { createProjectSchema } from "@/lib/projects/schema";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { DISPLAY_NAME_MAX, KEY_MAX, REASON_MAX, reasonField } from "./validation";

/**
 * Each rule is written once (lib/validation.ts and its neighbours). These tests hold the doors to
 * it: the console's form schema, the /v1 wire schema and the service refuse the same input, and
 * accept the same input at the limit.
 */
const name = (length: number) => "n".repeat(length);
const refuses = async (work: () => Promise<unknown>) => assert.rejects(work, { status: 400 });
const aCloud = () => ({
  display_name: "c",
  slug: uniqueSlug(),
  provider: "aws" as const,
  external_id: randomUUID(),
  endpoint: {},
  region_defaults: {},
});
const material = (displayName: string) => ({ displayName, payload: new TextEncoder().encode("s"), keyValues: {}, allowUnusualShape: true });

describe("each rule once", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test(`a display name is at most ${DISPLAY_NAME_MAX} characters: forms and services agree`, async () => {
    const operator = await createTestUser({ platformAdmin: true, label: "operator" });
    const cloud = (display_name: string) => ({ ...aCloud(), display_name });
    for (const form of [
      (v: string) => credentialDisplayNameSchema.safeParse(v).success,
      (v: string) => createCloudFormSchema.shape.display_name.safeParse(v).success,
      (v: string) => createProjectSchema.shape.name.safeParse(v).success,
    ]) {
      assert.equal(form(name(DISPLAY_NAME_MAX)), true);
      assert.equal(form(name(DISPLAY_NAME_MAX + 1)), false);
    }
    await refuses(() => createCloud(operator, cloud(name(DISPLAY_NAME_MAX + 1))));
    const created = await createCloud(operator, cloud(name(DISPLAY_NAME_MAX)));
    const issuer = await authorizeIssue(operator, created.id, { store: new EmbeddedSecretStore(await testDatabase(), randomBytes(32)) });
    await refuses(() => issuer.issue(material(name(DISPLAY_NAME_MAX + 1))));
    assert.equal((await issuer.issue(material(name(DISPLAY_NAME_MAX)))).displayName.length, DISPLAY_NAME_MAX);
  });

  test(`a reason is at most ${REASON_MAX} characters: form, wire and service agree`, async () => {
    const long = "r".repeat(REASON_MAX + 1);
    assert.equal(reasonField.safeParse(long).success, false);
    assert.equal(cloudCredentialRevokeRequestSchema.safeParse({ reason: long }).success, false);
    assert.equal(credentialAssignmentDecisionRequestSchema.safeParse({ reason: long }).success, false);
    for (const ok of [reasonField, cloudCredentialRevokeRequestSchema.shape.reason])
      assert.equal(ok.safeParse("r".repeat(REASON_MAX)).success, true);

    const operator = await createTestUser({ platformAdmin: true, label: "operator" });
    const cloud = await createCloud(operator, aCloud());
    const store = new EmbeddedSecretStore(await testDatabase(), randomBytes(32));
    const issued = await (await authorizeIssue(operator, cloud.id, { store })).issue(material("c"));
    await refuses(() => revokeCloudCredential(operator, issued.id, long, { store }));
    assert.notEqual((await revokeCloudCredential(operator, issued.id, "r".repeat(REASON_MAX), { store })).revokedAt, undefined);
  });

  test(`a key-value key is 1–${KEY_MAX} of [A-Za-z0-9_.-] and never a prototype name: form, wire and /v1 guard agree`, () => {
    for (const key of ["a b", "k".repeat(KEY_MAX + 1), "", "constructor"]) {
      assert.equal(
        credentialKeyValuesSchema.safeParse([{ key, value: "v" }]).success,
        false,
        `form took ${JSON.stringify(key.slice(0, 9))}`,
      );
      assert.equal(
        cloudCredentialIssueRequestSchema.safeParse({ display_name: "n", payload: "cw==", key_values: { [key]: "v" } }).success,
        false,
      );
      assert.throws(() => secretInput({ payload: "cw==", key_values: { [key]: "v" } }), { status: 400 });
    }
    const longest = "k".repeat(KEY_MAX);
    assert.equal(credentialKeyValuesSchema.safeParse([{ key: longest, value: "v" }]).success, true);
    assert.equal(
      cloudCredentialIssueRequestSchema.safeParse({ display_name: "n", payload: "cw==", key_values: { [longest]: "v" } }).success,
      true,
    );
    assert.deepEqual(secretInput({ payload: "cw==", key_values: { [longest]: "v" } }).keyValues, { [longest]: "v" });
  });

  test(`a group's name is at most ${GROUP_NAME_MAX} characters: form, wire and service agree`, async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true, label: "admin" }));
    const long = name(GROUP_NAME_MAX + 1);
    assert.equal(createGroupSchema.safeParse({ slug: "ops", displayName: long, source: "manual" }).success, false);
    assert.equal(
      groupRequestSchema.safeParse({ domain_id: randomUUID(), slug: "ops", display_name: long, source: "manual" }).success,
      false,
    );
    await refuses(() => createGroup(admin, { slug: `g-${randomUUID().slice(0, 8)}`, displayName: long, source: "manual" }));
    const ok = await createGroup(admin, { slug: `g-${randomUUID().slice(0, 8)}`, displayName: name(GROUP_NAME_MAX), source: "manual" });
    assert.equal(ok.displayName.length, GROUP_NAME_MAX);
  });
});
