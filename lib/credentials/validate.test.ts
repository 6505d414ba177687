import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { CloudProviderName } from "@/lib/clouds/schema";
import { createCloud, patchCloud } from "@/lib/clouds/service";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { credentialSecretPath } from "@/lib/vault/store";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { authorizeRotate } from "./rotate";
import { validateCloudCredential } from "./validate";
import { authorizeIssue } from "./issue";
import { revokeCloudCredential } from "./revoke";
import { materialFields, shapeFailures, validators } from "./validators";

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
      assert.deepEqual(
        validators[provider].shape({}).filter((c) => c.ok),
        [],
        "all missing",
      );
    });
  }

  test("key-values are laid over the payload's JSON; a payload in none of the formats is reported as such", () => {
    assert.deepEqual(materialFields("gcp", { payload: enc({ a: "1", b: "2" }), keyValues: { b: "3" } }), {
      fields: { a: "1", b: "3" },
      parsed: true,
      format: "json",
    });
    assert.equal(materialFields("aws", { payload: enc("not json"), keyValues: {} }).parsed, false);
    assert.equal(materialFields("aws", { payload: new Uint8Array([0xff, 0xfe]), keyValues: {} }).parsed, false);
  });
});

/** The spellings providers' own tools write, each one a payload an operator pastes as is. */
const AWS = good.aws;
const AZ = good.azure;
const OS = good.openstack;
const spellings: [CloudProviderName, string, Uint8Array, Record<string, string>?][] = [
  [
    "aws",
    "~/.aws/credentials names as JSON keys",
    enc({ aws_access_key_id: AWS.access_key_id, aws_secret_access_key: AWS.secret_access_key }),
  ],
  [
    "aws",
    "a session's three names",
    enc({
      aws_access_key_id: "ASIAIOSFODNN7EXAMPLE",
      aws_secret_access_key: AWS.secret_access_key,
      aws_session_token: "FwoGZXIvYXdzE-token",
    }),
  ],
  ["aws", "environment names as JSON keys", enc({ AWS_ACCESS_KEY_ID: AWS.access_key_id, AWS_SECRET_ACCESS_KEY: AWS.secret_access_key })],
  [
    "aws",
    "AWS_ACCESS_KEY_ID= lines (dotenv: export, quotes, comments, CRLF)",
    enc(
      `# from the console\r\nexport AWS_ACCESS_KEY_ID=${AWS.access_key_id}\r\nAWS_SECRET_ACCESS_KEY="` +
        `${AWS.secret_access_key}"\r\nAWS_DEFAULT_REGION='eu-west-1'\r\n`,
    ),
  ],
  [
    "aws",
    "the [default] profile of ~/.aws/credentials, among others",
    enc(
      `[ci]\naws_access_key_id = AKIAOTHERPROFILE0000\n\n[default]\naws_access_key_id = ${AWS.access_key_id}` +
        `\naws_secret_access_key = ${AWS.secret_access_key}\n; a comment\n`,
    ),
  ],
  [
    "aws",
    "a file with one named profile",
    enc(`[profile deploy]\naws_access_key_id=${AWS.access_key_id}\naws_secret_access_key=${AWS.secret_access_key}\n`),
  ],
  [
    "aws",
    "aws configure export-credentials",
    enc({ Version: 1, AccessKeyId: AWS.access_key_id, SecretAccessKey: AWS.secret_access_key, SessionToken: "t" }),
  ],
  [
    "aws",
    "aws iam create-access-key",
    enc({ AccessKey: { UserName: "ci", AccessKeyId: AWS.access_key_id, Status: "Active", SecretAccessKey: AWS.secret_access_key } }),
  ],
  [
    "aws",
    "the id in a key-value, the secret in the payload's lines",
    enc(`AWS_SECRET_ACCESS_KEY=${AWS.secret_access_key}`),
    { AWS_ACCESS_KEY_ID: AWS.access_key_id },
  ],
  [
    "azure",
    "AZURE_* names as JSON keys",
    enc({ AZURE_TENANT_ID: AZ.tenant_id, AZURE_CLIENT_ID: AZ.client_id, AZURE_CLIENT_SECRET: AZ.client_secret }),
  ],
  [
    "azure",
    "AZURE_* environment lines",
    enc(`AZURE_CLIENT_ID=${AZ.client_id}\nAZURE_TENANT_ID=${AZ.tenant_id}\nAZURE_CLIENT_SECRET=${AZ.client_secret}\n`),
  ],
  [
    "azure",
    "Terraform's ARM_* lines",
    enc(`export ARM_CLIENT_ID=${AZ.client_id}\nexport ARM_TENANT_ID=${AZ.tenant_id}\nexport ARM_CLIENT_SECRET=${AZ.client_secret}`),
  ],
  ["azure", "az ad sp create-for-rbac", enc({ appId: AZ.client_id, displayName: "ci", password: AZ.client_secret, tenant: AZ.tenant_id })],
  [
    "azure",
    "az ad sp create-for-rbac --sdk-auth",
    enc({ clientId: AZ.client_id, clientSecret: AZ.client_secret, subscriptionId: randomUUID(), tenantId: AZ.tenant_id }),
  ],
  ["gcp", "the service-account key file", enc({ ...good.gcp, client_id: "1234", auth_uri: "https://accounts.google.com/o/oauth2/auth" })],
  [
    "openstack",
    "clouds.yaml with an application credential",
    enc(
      `clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.example:5000/v3\n      ` +
        `application_credential_id: "${OS.application_credential_id}"\n      application_credential_secret: "` +
        `${OS.application_credential_secret}"\n    region_name: RegionOne\n    interface: public\n    ` +
        `identity_api_version: 3\n    auth_type: v3applicationcredential\n`,
    ),
  ],
  [
    "openstack",
    "clouds.yaml as JSON",
    enc({
      clouds: {
        prod: {
          auth_type: "v3applicationcredential",
          auth: {
            application_credential_id: OS.application_credential_id,
            application_credential_secret: OS.application_credential_secret,
          },
        },
      },
    }),
  ],
  [
    "openstack",
    "OS_APPLICATION_CREDENTIAL_* lines (openrc)",
    enc(
      `export OS_AUTH_TYPE=v3applicationcredential\nexport OS_AUTH_URL=https://keystone.example:5000/v3\nexport ` +
        `OS_APPLICATION_CREDENTIAL_ID=${OS.application_credential_id}\nexport OS_APPLICATION_CREDENTIAL_SECRET=${OS.application_credential_secret}\n`,
    ),
  ],
  [
    "openstack",
    "openstack application credential create -f json",
    enc({ id: OS.application_credential_id, name: "ci", secret: OS.application_credential_secret, project_id: "p" }),
  ],
  [
    "s3-compatible",
    "MinIO's credentials download",
    enc({ url: "https://minio.example", accessKey: "minio", secretKey: "minio-secret-value", api: "s3v4", path: "auto" }),
  ],
  [
    "s3-compatible",
    "the [default] profile of ~/.aws/credentials",
    enc("[default]\naws_access_key_id = minio\naws_secret_access_key = minio-secret-value\n"),
  ],
];

describe("the spellings providers' own tools write", () => {
  for (const [provider, what, payload, keyValues] of spellings) {
    test(`${provider}: ${what} is read, passes every check, and nothing is refused`, () => {
      const material = { payload, keyValues: keyValues ?? {} };
      assert.deepEqual(shapeFailures(provider, material), []);
      const { fields, parsed } = materialFields(provider, material);
      assert.equal(parsed, true);
      const failed = validators[provider].shape(fields).filter((c) => !c.ok);
      assert.deepEqual(failed, [], JSON.stringify(failed));
    });
  }

  test("the AWS names are normalised to ours, session token included", () => {
    const { fields } = materialFields("aws", {
      payload: enc({ aws_access_key_id: "AKIAIOSFODNN7EXAMPLE", aws_secret_access_key: "s", aws_session_token: "t" }),
      keyValues: {},
    });
    assert.deepEqual([fields.access_key_id, fields.secret_access_key, fields.session_token], ["AKIAIOSFODNN7EXAMPLE", "s", "t"]);
  });

  const canary = `CANARY${randomUUID().replaceAll("-", "")}`;
  const garbage: [CloudProviderName, string, Uint8Array, string[]][] = [
    ["aws", "plain text", enc(`secret ${canary}`), ["format", "access_key_id", "secret_access_key"]],
    ["aws", "random bytes", randomBytes(4096), ["format", "access_key_id", "secret_access_key"]],
    ["aws", "an empty JSON object", enc({}), ["access_key_id", "secret_access_key"]],
    ["aws", "a JSON array", enc([canary]), ["format", "access_key_id", "secret_access_key"]],
    [
      "aws",
      "an INI profile of ~/.aws/config (no keys)",
      enc(`[default]\nregion = ${canary}\noutput = json\n`),
      ["access_key_id", "secret_access_key"],
    ],
    [
      "aws",
      "a half INI file (a line that is no key = value)",
      enc(`[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n${canary}\n`),
      ["format", "access_key_id", "secret_access_key"],
    ],
    [
      "aws",
      "another provider's names (az ad sp output)",
      enc({ appId: randomUUID(), password: canary, tenant: randomUUID() }),
      ["access_key_id", "secret_access_key"],
    ],
    ["aws", "lines with only the id", enc(`AWS_ACCESS_KEY_ID=${canary}`), ["secret_access_key"]],
    [
      "azure",
      "AWS's names",
      enc({ aws_access_key_id: canary, aws_secret_access_key: canary }),
      ["tenant_id", "client_id", "client_secret"],
    ],
    [
      "openstack",
      "clouds.yaml with a password, not an application credential",
      enc(`clouds:\n  prod:\n    auth:\n      username: admin\n      password: ${canary}\n`),
      ["application_credential_id", "application_credential_secret"],
    ],
    ["openstack", "a YAML list", enc(`- ${canary}\n- two\n`), ["format", "application_credential_id", "application_credential_secret"]],
    [
      "gcp",
      "dotenv lines",
      enc(`GOOGLE_APPLICATION_CREDENTIALS=${canary}`),
      ["type", "project_id", "private_key_id", "private_key", "client_email"],
    ],
  ];
  test("deeply nested or tagged text is judged without harm: no parser warning quotes it, and the process survives many in a row", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const hostile = [
        "[".repeat(4096),
        "{".repeat(4096),
        `clouds:\n  x: ${"[".repeat(4000)}`,
        `aws_access_key_id: AKIAIOSFODNN7EXAMPLE\naws_secret_access_key: !${canary}`,
        `clouds:\n  prod:\n    auth:\n      application_credential_secret: !!${canary}\n      ? [${canary}]\n`,
      ];
      // The yaml parser took the process down (out of memory in V8's regexp compiler) on the second or third deeply nested payload.
      for (let round = 0; round < 5; round++) {
        for (const text of hostile) {
          const failures = shapeFailures("aws", { payload: enc(text), keyValues: {} });
          assert.equal(JSON.stringify(failures).includes(canary), false);
        }
      }
      // process.emitWarning reports on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    assert.deepEqual(
      warnings.filter((w) => w.includes(canary)),
      [],
    );
  });

  for (const [provider, what, payload, missing] of garbage) {
    test(`${provider}: ${what} is still refused, naming the rules and never a value`, () => {
      const failures = shapeFailures(provider, { payload, keyValues: {} });
      assert.deepEqual(
        failures.map((c) => c.name),
        missing,
      );
      assert.equal(JSON.stringify(failures).includes(canary), false);
    });
  }
});

describe("testing a stored credential", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("good material on an AWS Cloud is valid; after revocation the engine no longer holds it; outcomes are audited", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const operator = await createTestUser({ platformAdmin: true });
    const cloud = await createCloud(operator, {
      display_name: "V",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    const issuer = await authorizeIssue(operator, cloud.id, { store });
    const credential = await issuer.issue({ displayName: "ok", payload: enc(good.aws), keyValues: {}, allowUnusualShape: true });
    const result = await validateCloudCredential(operator, credential.id, { store });
    assert.equal(result.valid, true, JSON.stringify(result.checks));
    assert.equal(JSON.stringify(result).includes(good.aws.secret_access_key), false);

    const wrong = await issuer.issue({
      displayName: "seed example",
      payload: enc({ access_key_id: "AKIAEXAMPLE", secret_access_key: "example" }),
      keyValues: {},
      allowUnusualShape: true,
    });
    const wrongResult = await validateCloudCredential(operator, wrong.id, { store });
    assert.equal(wrongResult.valid, false);
    assert.deepEqual(
      wrongResult.checks.filter((c) => !c.ok).map((c) => c.name),
      ["access_key_id", "secret_access_key"],
    );

    await revokeCloudCredential(operator, credential.id, "test", { store });
    const afterRevoke = await validateCloudCredential(operator, credential.id, { store });
    assert.deepEqual(
      afterRevoke.checks.map((c) => [c.name, c.ok]),
      [["secrets engine", false]],
    );

    const outcomes = await db.auditEntry.findMany({
      where: { targetId: { in: [credential.id, wrong.id] }, action: "credential.validate" },
      orderBy: { at: "asc" },
    });
    assert.deepEqual(
      outcomes.map((o) => o.outcome),
      ["succeeded", "failed", "failed"],
    );
    // Someone with no relation to the Cloud hears what an absent id gets.
    await assert.rejects(validateCloudCredential(await createTestUser(), credential.id, { store }), { code: "cloud_credential_not_found" });
  });
});

describe("the provider shape at issue and rotate", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("an AWS credential whose payload is not JSON is refused with invalid_payload naming the rules, never the value", async () => {
    const db = await testDatabase();
    const store = new EmbeddedSecretStore(db, randomBytes(32));
    const operator = await createTestUser({ platformAdmin: true });
    const cloud = await createCloud(operator, {
      display_name: "S",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
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

    const missing = await issuer
      .issue({ displayName: "bad", payload: enc({ access_key_id: "AKIA-CANARY-VALUE" }), keyValues: {} })
      .catch((e: Error) => e);
    assert.ok(missing instanceof Error);
    assert.match(missing.message, /secret_access_key is missing/);
    assert.equal(missing.message.includes("CANARY"), false);
    // Every field there, one value off its pattern (the tutorials' throwaway pair): written, and "Test" reports it.
    const throwaway = await issuer.issue({
      displayName: "throwaway",
      payload: enc({ access_key_id: "AKIAEXAMPLE", secret_access_key: "example" }),
      keyValues: {},
    });
    assert.equal((await validateCloudCredential(operator, throwaway.id, { store })).valid, false);

    const ok = await issuer.issue({ displayName: "good", payload: enc(good.aws), keyValues: {} });
    const overridden = await issuer.issue({ displayName: "odd", payload: enc("not json at all"), keyValues: {}, allowUnusualShape: true });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: overridden.id, action: "credential.issue" } });
    assert.equal(audit.reason, "provider shape check overridden");
    assert.equal((await db.auditEntry.findFirstOrThrow({ where: { targetId: ok.id, action: "credential.issue" } })).reason, null);

    const rotator = await authorizeRotate(operator, ok.id, { store });
    await assert.rejects(rotator.rotate({ expectedVersion: 1, payload: enc("not json at all"), keyValues: {} }), {
      code: "invalid_payload",
    });
    assert.equal((await rotator.rotate({ expectedVersion: 1, payload: enc(good.aws), keyValues: {} })).version, 2);
  });

  test(
    "over /v1 (advise) any bytes are stored with a warning naming the rules; a strict Cloud refuses them " +
      "unless overridden; the switch is audited",
    async () => {
      const db = await testDatabase();
      const store = new EmbeddedSecretStore(db, randomBytes(32));
      const operator = await createTestUser({ platformAdmin: true });
      const cloud = await createCloud(operator, {
        display_name: "A",
        slug: uniqueSlug(),
        provider: "aws",
        external_id: randomUUID(),
        endpoint: {},
        region_defaults: {},
      });
      const canary = `secret ${randomUUID()}`;
      const advised = { keyValues: {}, shapeCheck: "advise" as const };

      const plain = await (await authorizeIssue(operator, cloud.id, { store })).issue({
        displayName: "plain",
        payload: enc(canary),
        ...advised,
      });
      assert.match(plain.shapeWarning ?? "", /access_key_id is missing; secret_access_key is missing/);
      assert.equal(plain.shapeWarning?.includes(canary), false);
      assert.deepEqual(
        await store.read(credentialSecretPath(cloud.id, plain.id)).then((m) => m && new TextDecoder().decode(m.payload)),
        canary,
      );
      assert.equal(
        (await db.auditEntry.findFirstOrThrow({ where: { targetId: plain.id, action: "credential.issue" } })).reason,
        "stored with a provider shape warning",
      );
      const binary = await (await authorizeIssue(operator, cloud.id, { store })).issue({
        displayName: "binary",
        payload: randomBytes(4096),
        ...advised,
      });
      assert.ok(binary.shapeWarning);
      const shaped = await (await authorizeIssue(operator, cloud.id, { store })).issue({
        displayName: "aws names",
        payload: enc({ aws_access_key_id: good.aws.access_key_id, aws_secret_access_key: good.aws.secret_access_key }),
        ...advised,
      });
      assert.equal(shaped.shapeWarning, undefined);
      const rotated = await (await authorizeRotate(operator, plain.id, { store })).rotate({
        expectedVersion: 1,
        payload: enc("plain bytes"),
        ...advised,
      });
      assert.equal(rotated.version, 2);
      assert.ok(rotated.shapeWarning);

      // Someone who may only observe the Cloud cannot make it strict.
      const observer = await createTestUser();
      await assert.rejects(patchCloud(observer, cloud.id, { strict_payload_shape: true }), { code: "permission_denied" });
      assert.equal((await patchCloud(operator, cloud.id, { strict_payload_shape: true })).strictPayloadShape, true);
      await patchCloud(operator, cloud.id, { strict_payload_shape: true });
      const switches = await db.auditEntry.findMany({ where: { cloudId: cloud.id, action: "cloud.update" }, orderBy: { at: "asc" } });
      assert.deepEqual(
        switches.map((e) => e.reason),
        ["strict payload shape check on"],
        "a repeat that changes nothing is not an entry",
      );

      const issuer = await authorizeIssue(operator, cloud.id, { store });
      await assert.rejects(
        issuer.issue({ displayName: "strict", payload: enc(canary), ...advised }),
        (e: Error & { code?: string }) => e.code === "invalid_payload" && !e.message.includes(canary),
      );
      await assert.rejects(
        (await authorizeRotate(operator, shaped.id, { store })).rotate({ expectedVersion: 1, payload: enc("plain"), ...advised }),
        { code: "invalid_payload" },
      );
      const overridden = await issuer.issue({ displayName: "on purpose", payload: enc(canary), ...advised, allowUnusualShape: true });
      assert.equal(overridden.shapeWarning, undefined);
      assert.equal(
        (await db.auditEntry.findFirstOrThrow({ where: { targetId: overridden.id, action: "credential.issue" } })).reason,
        "provider shape check overridden",
      );
      // The provider tools' spellings are no unusual shape, strict or not.
      await issuer.issue({
        displayName: "ini",
        payload: enc(`[default]\naws_access_key_id = ${good.aws.access_key_id}\naws_secret_access_key = ${good.aws.secret_access_key}\n`),
        ...advised,
      });

      await patchCloud(operator, cloud.id, { strict_payload_shape: false });
      assert.ok(
        (await (await authorizeIssue(operator, cloud.id, { store })).issue({ displayName: "relaxed", payload: enc(canary), ...advised }))
          .shapeWarning,
      );
      const last = await db.auditEntry.findFirstOrThrow({ where: { cloudId: cloud.id, action: "cloud.update" }, orderBy: { at: "desc" } });
      assert.equal(last.reason, "strict payload shape check off");
    },
  );
});
