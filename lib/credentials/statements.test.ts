import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud } from "@/lib/clouds/service";
import { NotFoundError, PermissionDeniedError } from "@/lib/errors";
import { authenticateToken, issueToken } from "@/lib/tokens/service";
import type { SecretStore } from "@/lib/vault";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { countStatements } from "@/testing/statements";
import { authorizeIssue, issueQuestion } from "./issue";
import { getCloudCredential } from "./read";

/** AWS's documented example pair: the provider shape check accepts it; it is not a real key. */
const AWS_EXAMPLE = JSON.stringify({
  access_key_id: "AKIAIOSFODNN7EXAMPLE",
  secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
});

/**
 * What one issue and one read cost the database, counted at the driver
 * (BEGIN and COMMIT included), along the /v1 path with a bearer token. The secrets engine is a stand-in that records when it is written,
 * as Vault would be: it costs no SQL.
 */
const written: { path: string; statementsBefore: number }[] = [];
let statementsSoFar: () => number = () => 0;
const engine = {
  async create(path: string) {
    written.push({ path, statementsBefore: statementsSoFar() });
    return { version: 1 };
  },
  async destroy() {},
} as unknown as SecretStore;

async function fixture() {
  await testDatabase();
  const operator = await createTestUser({ label: "operator", platformAdmin: true });
  const stranger = await createTestUser({ label: "stranger" });
  const cloud = await createCloud(operator, {
    display_name: "Statements",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  const operatorToken = (await issueToken(operator, { envPrefix: "dev" })).plaintext;
  const strangerToken = (await issueToken(stranger, { envPrefix: "dev" })).plaintext;
  return { cloud, operatorToken, strangerToken };
}

/**
 * What the /v1 issue route does (app/v1/clouds/[id]/cloud-credentials):
 * authenticate the bearer token asking the issue question in the same
 * query, then take the issuer and issue. (Route modules pull in Next's
 * navigation, which does not load outside Next, so the steps are called here.)
 */
async function issueAsTheRouteDoes(cloudId: string, token: string, name = "Counted") {
  const caller = await authenticateToken(token, new Date(), issueQuestion(cloudId));
  if (!caller) throw new Error("the token did not authenticate");
  const issuer = await authorizeIssue(caller.user, cloudId);
  return issuer.issue({ displayName: name, payload: new TextEncoder().encode(AWS_EXAMPLE), keyValues: {} });
}

async function readAsTheRouteDoes(credentialId: string, token: string) {
  const caller = await authenticateToken(token);
  if (!caller) throw new Error("the token did not authenticate");
  return getCloudCredential(caller.user, credentialId);
}

const outcome = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe("statements per operation", () => {
  before(async () => {
    await testDatabase();
    (globalThis as unknown as { __plexsphereSecretStore?: Promise<SecretStore> }).__plexsphereSecretStore = Promise.resolve(engine);
  });
  after(closeTestDatabase);

  test("issuing over /v1 is at most 2 statements, and exactly one (token, user, permission, Cloud) comes before the secret is written", async () => {
    const { cloud, operatorToken } = await fixture();
    await authenticateToken(operatorToken); // the token's once-a-minute last_used_at stamp, out of the way
    written.length = 0;
    let seen = 0;
    statementsSoFar = () => seen;
    const { result, count, statements } = await countStatements(
      () => issueAsTheRouteDoes(cloud.id, operatorToken),
      (n) => (seen = n),
    );
    assert.equal(result.version, 1);
    assert.ok(count <= 2, `an issue took ${count} statements:\n${statements.join("\n")}`);
    assert.equal(written.length, 1);
    assert.equal(written[0].statementsBefore, 1, "authentication, authorization and the Cloud are one query before the write");
    const db = await testDatabase();
    const entry = await db.auditEntry.findFirst({ where: { action: "credential.issue", targetId: result.id } });
    assert.equal(entry?.outcome, "succeeded", "the issue is audited in the same statement");
    assert.equal(entry?.cloudId, cloud.id);
  });

  test("issuing from the console (no answer from authentication) is one query before the write too", async () => {
    const { cloud, operatorToken } = await fixture();
    const caller = await authenticateToken(operatorToken);
    written.length = 0;
    let seen = 0;
    statementsSoFar = () => seen;
    const { count } = await countStatements(
      async () =>
        (await authorizeIssue(caller!.user, cloud.id)).issue({
          displayName: "Console",
          payload: new TextEncoder().encode(AWS_EXAMPLE),
          keyValues: {},
        }),
      (n) => (seen = n),
    );
    assert.ok(count <= 5, `took ${count}`);
    assert.equal(written[0].statementsBefore, 1);
  });

  test("a caller without manage on the Cloud, or naming a Cloud that does not exist, is refused before the secret is written", async () => {
    const { cloud, strangerToken, operatorToken } = await fixture();
    written.length = 0;
    const denied = await outcome(issueAsTheRouteDoes(cloud.id, strangerToken));
    assert.equal(denied.ok, false);
    assert.ok(!denied.ok && denied.error instanceof PermissionDeniedError);
    const unknownCloud = await outcome(issueAsTheRouteDoes(randomUUID(), operatorToken));
    assert.ok(
      !unknownCloud.ok && unknownCloud.error instanceof PermissionDeniedError,
      "an unknown Cloud is refused like one you may not manage",
    );
    assert.equal(written.length, 0);
    const db = await testDatabase();
    const entries = await db.auditEntry.count({ where: { action: "cloud#manage", cloudId: cloud.id, outcome: "denied" } });
    assert.equal(entries, 1, "the denial is recorded");
  });

  test("an answer kept from authentication is about that Cloud only", async () => {
    const { cloud, operatorToken } = await fixture();
    const other = await fixture();
    const caller = await authenticateToken(operatorToken, new Date(), issueQuestion(cloud.id));
    const elsewhere = await outcome(authorizeIssue(caller!.user, other.cloud.id));
    assert.ok(!elsewhere.ok && elsewhere.error instanceof PermissionDeniedError, "manage on one Cloud says nothing about another");
  });

  test("a credential read is at most 2 queries, and a caller who may not observe its Cloud is refused", async () => {
    const { cloud, operatorToken, strangerToken } = await fixture();
    const issued = await issueAsTheRouteDoes(cloud.id, operatorToken);
    await authenticateToken(strangerToken);
    const { result, count, statements } = await countStatements(() => readAsTheRouteDoes(issued.id, operatorToken));
    assert.equal(result.id, issued.id);
    assert.equal(result.status, "active");
    assert.equal(result.secretRevocation, null);
    assert.ok(count <= 2, `a read took ${count} queries:\n${statements.join("\n")}`);

    // A stranger hears what an absent id gets: the refusal says nothing about whether it exists.
    const denied = await outcome(readAsTheRouteDoes(issued.id, strangerToken));
    const missing = await outcome(readAsTheRouteDoes(randomUUID(), operatorToken));
    assert.ok(!denied.ok && denied.error instanceof NotFoundError);
    assert.ok(!missing.ok && missing.error instanceof NotFoundError);
    assert.equal(denied.error.code, missing.error.code);
  });
});
