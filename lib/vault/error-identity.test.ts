import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { problemFromError } from "@/lib/api/problem";
import { createCloud } from "@/lib/clouds/service";
import { authorizeRotate } from "@/lib/credentials/rotate";
import { authorizeIssue } from "@/lib/credentials/issue";
import { getCloudCredential } from "@/lib/credentials/read";
import { isDomainError } from "@/lib/errors";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import type { SecretStore } from "@/lib/vault/store";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";

/**
 * Next bundles a module into several chunks, so an error can be built by
 * another copy of its class than the one the catching code imported (the
 * secret store is made once per process, by whichever bundle boots first).
 * A second copy of the module file, loaded from elsewhere, is that situation.
 */
async function secondCopyOf<T>(relative: string): Promise<T> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "bundle-copy-")), path.basename(relative));
  copyFileSync(path.resolve(relative), file);
  return (await import(pathToFileURL(file).href)) as T;
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe("error identity survives a second copy of the module", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("the engine's own check-and-set conflict, thrown by another copy of the store module, is 409 credential_cas_conflict and changes nothing", async () => {
    const copy = await secondCopyOf<typeof import("@/lib/vault/store")>("lib/vault/store.ts");
    const embedded = new EmbeddedSecretStore(await testDatabase(), randomBytes(32));
    const store: SecretStore = Object.assign(Object.create(embedded), {
      update: async (p: string) => {
        throw new copy.SecretVersionConflictError(p);
      },
    });
    const operator = await createTestUser({ platformAdmin: true });
    const cloud = await createCloud(operator, {
      display_name: "E",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    const credential = await (await authorizeIssue(operator, cloud.id, { store })).issue({
      displayName: "c",
      payload: bytes("one"),
      keyValues: {},
      allowUnusualShape: true,
    });

    const rotator = await authorizeRotate(operator, credential.id, { store });
    await assert.rejects(rotator.rotate({ expectedVersion: 1, payload: bytes("two"), keyValues: {}, allowUnusualShape: true }), {
      code: "credential_cas_conflict",
      status: 409,
    });
    assert.equal((await getCloudCredential(operator, credential.id)).version, 1);
  });

  test("a DomainError from another copy of lib/errors.ts is answered as its own problem, not a 500", async () => {
    const copy = await secondCopyOf<typeof import("@/lib/errors")>("lib/errors.ts");
    const conflict = new copy.ConflictError("credential_cas_conflict", "The credential changed.");
    assert.ok(isDomainError(conflict));
    const response = problemFromError(new Request("http://console.test/v1/x"), conflict);
    assert.equal(response.status, 409);
    assert.equal((await response.json()).code, "credential_cas_conflict");

    const denied = problemFromError(
      new Request("http://console.test/v1/x"),
      new copy.PermissionDeniedError("missing cloud#manage", "corr-1"),
    );
    assert.equal(denied.status, 403);
    assert.equal((await denied.json()).correlation_id, "corr-1");
  });
});
