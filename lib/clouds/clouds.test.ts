import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { check } from "@/lib/authz/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { createCloudFormSchema, type CreateCloudInput } from "./schema";
import type { Actor } from "@/lib/authz/service";
import { createCloud, getCloud, listCloudsPage } from "./service";

const listClouds = async (actor: Actor, options: { filter: string }) =>
  (await listCloudsPage(actor, { limit: 200, withCounts: true, ...options })).items;

const input = (overrides: Partial<CreateCloudInput> = {}): CreateCloudInput => ({
  display_name: "Acme AWS",
  slug: uniqueSlug(),
  provider: "aws",
  external_id: randomUUID(),
  endpoint: {},
  region_defaults: {},
  ...overrides,
});

describe("Clouds", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a platform admin creates a Cloud and manages it in the same moment", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const cloud = await createCloud(admin, input({ endpoint: { url: "https://example.test" }, region_defaults: { region: "eu-west-1" } }));
    assert.equal(await check(admin, "manage", { cloud: cloud.id }), true);
    const read = await getCloud(admin, cloud.id);
    assert.deepEqual(read.endpoint, { url: "https://example.test" });
    assert.deepEqual(read.regionDefaults, { region: "eu-west-1" });
  });

  test("someone without platform#manage cannot create a Cloud, and nothing is stored", async () => {
    const db = await testDatabase();
    const owner = await createTestUser();
    const slug = uniqueSlug();
    await assert.rejects(createCloud(owner, input({ slug })), { code: "permission_denied" });
    assert.equal(await db.cloud.count({ where: { slug } }), 0);
  });

  test("a duplicate slug and a duplicate provider account are conflicts, with the field named", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const first = await createCloud(admin, input());
    await assert.rejects(createCloud(admin, input({ slug: first.slug })), (e: { code: string; fieldErrors: object }) => {
      assert.equal(e.code, "cloud_slug_conflict");
      assert.ok("slug" in e.fieldErrors);
      return true;
    });
    await assert.rejects(createCloud(admin, input({ external_id: first.externalId })), { code: "cloud_external_id_conflict" });
    // The same account id under another provider is a different account.
    await createCloud(admin, input({ provider: "azure", external_id: first.externalId }));
  });

  test("the form schema refuses bad slugs, unknown providers and malformed key-values", () => {
    const base = { display_name: "n", slug: "ok-slug", provider: "aws", external_id: "1", endpoint: [], region_defaults: [] };
    const fieldsOf = (v: object) => {
      const r = createCloudFormSchema.safeParse({ ...base, ...v });
      return r.success ? [] : [...new Set(r.error.issues.map((i) => i.path.join(".")))];
    };
    assert.deepEqual(fieldsOf({}), []);
    for (const slug of ["Upper", "-lead", "trail-", "dou--ble", "a".repeat(64), "", "sp ace"]) {
      assert.deepEqual(fieldsOf({ slug }), ["slug"], `slug ${JSON.stringify(slug)}`);
    }
    assert.deepEqual(fieldsOf({ slug: "a".repeat(63) }), []);
    assert.deepEqual(fieldsOf({ provider: "digitalocean" }), ["provider"]);
    assert.deepEqual(fieldsOf({ display_name: "   " }), ["display_name"]);
    assert.deepEqual(fieldsOf({ endpoint: [{ key: "", value: "x" }] }), ["endpoint.0.key"]);
    assert.deepEqual(fieldsOf({ display_name: "nul\u0000byte" }), ["display_name"]);
    assert.deepEqual(fieldsOf({ external_id: "x".repeat(1025) }), ["external_id"]);
    assert.deepEqual(fieldsOf({ external_id: "x".repeat(1024) }), []);
    assert.deepEqual(fieldsOf({ endpoint: [{ key: "url", value: "a\u0000b" }] }), ["endpoint.0.value"]);
    assert.deepEqual(
      fieldsOf({
        region_defaults: [
          { key: "r", value: "1" },
          { key: "r", value: "2" },
        ],
      }),
      ["region_defaults.1.key"],
    );
  });

  test("the list shows only Clouds the user observes, slug-ordered, filterable, with credential counts", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const otherAdmin = await createTestUser({ platformAdmin: true });
    const viewer = await createTestUser();
    const tag = randomUUID().slice(0, 6);
    const b = await createCloud(admin, input({ slug: `b-${tag}`, display_name: "Beta" }));
    const a = await createCloud(otherAdmin, input({ slug: `a-${tag}`, display_name: "Alpha" }));

    const seenByAdmin = (await listClouds(admin, { filter: tag })).map((c) => c.slug);
    assert.deepEqual(seenByAdmin, [a.slug, b.slug]);
    assert.deepEqual((await listClouds(admin, { filter: "ALPHA" })).filter((c) => c.id === a.id).length, 1);
    assert.equal((await listClouds(admin, { filter: tag }))[0].credentialCount, 0);
    assert.deepEqual(await listClouds(viewer, { filter: tag }), []);
    assert.deepEqual(await listClouds(admin, { filter: "\u0000" + "x".repeat(500) }), [], "odd filters are harmless, not 500s");
    await assert.rejects(getCloud(viewer, a.id), { code: "permission_denied" });
  });

  test("a Cloud id that names nothing is not found for a platform admin, denied for others", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const viewer = await createTestUser();
    await assert.rejects(getCloud(admin, randomUUID()), { code: "cloud_not_found" });
    await assert.rejects(getCloud(admin, "not-a-uuid"), { code: "cloud_not_found" });
    await assert.rejects(getCloud(viewer, randomUUID()), { code: "permission_denied" });
  });
});
