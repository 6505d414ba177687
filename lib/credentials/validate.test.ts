import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { CloudProviderName } from "@/lib/clouds/schema";
import { createCloud } from "@/lib/clouds/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { authorizeRotate, validateCloudCredential } from "./lifecycle";
import { authorizeIssue, revokeCloudCredential } from "./service";
import { materialFields, validators } from "./validators";

const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

const good: Record<CloudProviderName, Record<string, string>> = {
  aws: { access_key_id: "AKIAIOSFODNN7EXAMPLE", secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  azure: { tenant_id: randomUUID(), client_id: randomUUID(), client_secret: "s3cr3t-value" },
  gcp: {
    type: "service_account",
    project_id: "acme",
    private_key_id: "abc",
    private_key: "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n",
    client_email: "deployer@acme.iam.gserviceaccount.com",
  },
  openstack: { application_credential_id: "21dced0fd20347869b93710d2b98aae0", application_credential_secret: "secret-value" },
  "s3-compatible": { access_key_id: "minio", secret_access_key: "minio-secret-value" },
};

describe("provider shape validators", () => {
  for (const provider of Object.keys(good) as CloudProviderName[]) {
    test(`${provider}: a well-formed credential passes; a broken one names the field and never the value`, () => {
      assert.ok(validators[provider].shape(good[provider]).every((c) => c.ok));
      const broken = Object.fromEntries(Object.keys(good[provider]).map((k) => [k, `WRONG-${k}-VALUE-\u0001`]));
      const checks = validators[provider].shape(broken);
      const failed = checks.filter((c) => !c.ok).map((c) => c.name);
      assert.ok(failed.length > 0);
      assert.equal(JSON.stringify(checks).includes("WRONG-"), false);
      assert.deepEqual(validators[provider].shape({}).filter((c) => c.ok), [], "all missing");
    });
  }

  test("key-values are laid over the payload's JSON; a non-JSON payload is reported as such", () => {
    assert.deepEqual(materialFields({ payload: enc({ a: "1", b: "2" }), keyValues: { b: "3" } }), { fields: { a: "1", b: "3" }, parsed: true });
    assert.equal(materialFields({ payload: enc("not json"), keyValues: {} }).parsed, false);
    assert.equal(materialFields({ payload: new Uint8Array([0xff, 0xfe]), keyValues: {} }).parsed, false);
  });
});

describe("testing a stored credential", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("good material on an AWS Cloud is valid; after revocation the engine no longer holds it; outcomes are audited", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const operator = await createTestUser({ platformAdmin: true });
    const cloud = await createCloud(operator, { display_name: "V", slug: uniqueSlug(), provider: "aws", external_id: randomUUID(), endpoint: {}, region_defaults: {} });
    const issuer = await authorizeIssue(operator, cloud.id, { store });
    const credential = await issuer.issue({ displayName: "ok", payload: enc(good.aws), keyValues: {}, allowUnusualShape: true });
    const result = await validateCloudCredential(operator, credential.id, { store });
    assert.equal(result.valid, true, JSON.stringify(result.checks));
    assert.equal(JSON.stringify(result).includes(good.aws.secret_access_key), false);

    const wrong = await issuer.issue({ displayName: "seed example", payload: enc({ access_key_id: "AKIAEXAMPLE", secret_access_key: "example" }), keyValues: {}, allowUnusualShape: true });
    const wrongResult = await validateCloudCredential(operator, wrong.id, { store });
    assert.equal(wrongResult.valid, false);
    assert.deepEqual(wrongResult.checks.filter((c) => !c.ok).map((c) => c.name), ["access_key_id", "secret_access_key"]);

    await revokeCloudCredential(operator, credential.id, "test", { store });
    const afterRevoke = await validateCloudCredential(operator, credential.id, { store });
    assert.deepEqual(afterRevoke.checks.map((c) => [c.name, c.ok]), [["secrets engine", false]]);

    const outcomes = await db.auditEntry.findMany({ where: { targetId: { in: [credential.id, wrong.id] }, action: "credential.validate" }, orderBy: { at: "asc" } });
    assert.deepEqual(outcomes.map((o) => o.outcome), ["succeeded", "failed", "failed"]);
    await assert.rejects(validateCloudCredential(await createTestUser(), credential.id, { store }), { code: "permission_denied" });
  });
});

describe("the provider shape at issue and rotate", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("an AWS credential whose payload is not JSON is refused with invalid_payload naming the rules, never the value", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const operator = await createTestUser({ platformAdmin: true });
    const cloud = await createCloud(operator, { display_name: "S", slug: uniqueSlug(), provider: "aws", external_id: randomUUID(), endpoint: {}, region_defaults: {} });
    const issuer = await authorizeIssue(operator, cloud.id, { store });
    const error = await issuer.issue({ displayName: "bad", payload: enc("not json at all"), keyValues: {} }).then(
      () => assert.fail("issued"),
      (e: unknown) => e as { code: string; status: number; message: string },
    );
    assert.equal(error.code, "invalid_payload");
    assert.equal(error.status, 400);
    assert.match(error.message, /JSON object/);
    assert.match(error.message, /access_key_id is missing/);
    assert.match(error.message, /secret_access_key is missing/);
    assert.equal(error.message.includes("not json at all"), false);
    assert.equal(await db.cloudCredential.count({ where: { cloudId: cloud.id } }), 0);

    const missing = await issuer.issue({ displayName: "bad", payload: enc({ access_key_id: "AKIA-CANARY-VALUE" }), keyValues: {} }).catch((e: Error) => e);
    assert.ok(missing instanceof Error);
    assert.match(missing.message, /secret_access_key is missing/);
    assert.equal(missing.message.includes("CANARY"), false);
    // Every field there, one value off its pattern (the tutorials' throwaway pair): written, and "Test" reports it.
    const throwaway = await issuer.issue({ displayName: "throwaway", payload: enc({ access_key_id: "AKIAEXAMPLE", secret_access_key: "example" }), keyValues: {} });
    assert.equal((await validateCloudCredential(operator, throwaway.id, { store })).valid, false);

    const ok = await issuer.issue({ displayName: "good", payload: enc(good.aws), keyValues: {} });
    const overridden = await issuer.issue({ displayName: "odd", payload: enc("not json at all"), keyValues: {}, allowUnusualShape: true });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: overridden.id, action: "credential.issue" } });
    assert.equal(audit.reason, "provider shape check overridden");
    assert.equal((await db.auditEntry.findFirstOrThrow({ where: { targetId: ok.id, action: "credential.issue" } })).reason, null);

    const rotator = await authorizeRotate(operator, ok.id, { store });
    await assert.rejects(rotator.rotate({ expectedVersion: 1, payload: enc("not json at all"), keyValues: {} }), { code: "invalid_payload" });
    assert.equal((await rotator.rotate({ expectedVersion: 1, payload: enc(good.aws), keyValues: {} })).version, 2);
  });
});
