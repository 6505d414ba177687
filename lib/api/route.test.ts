import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { authorize } from "@/lib/authz/service";
import { createCloud } from "@/lib/clouds/service";
import { issueToken } from "@/lib/tokens/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { json, optionalBody, route } from "./route";

/**
 * The one route declaration, as a caller sees it: each step answers in its
 * order (authenticate, path ids, permit, body), and a step that refuses
 * leaves everything after it undone — above all, the body unread.
 */
let cloudId: string;
let managerToken: string;
let strangerToken: string;

before(async () => {
  await testDatabase();
  const manager = await createTestUser({ label: "manager", platformAdmin: true });
  const stranger = await createTestUser({ label: "stranger" });
  const cloud = await createCloud(manager, {
    display_name: "Routes",
    slug: uniqueSlug(),
    provider: "aws",
    external_id: randomUUID(),
    endpoint: {},
    region_defaults: {},
  });
  cloudId = cloud.id;
  managerToken = (await issueToken(manager, { envPrefix: "dev" })).plaintext;
  strangerToken = (await issueToken(stranger, { envPrefix: "dev" })).plaintext;
});

after(closeTestDatabase);

/** A body that records whether anything pulled a byte of it. */
function watchedBody(text: string) {
  const seen = { pulled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        seen.pulled = true;
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
      // Nothing is queued ahead of a reader: `pulled` means somebody read.
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

function post(id: string, token: string | undefined, body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) {
  const request = new Request(`http://console.test/v1/clouds/${id}/things`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return { request, context: { params: Promise.resolve({ id }) } };
}

const steps: string[] = [];
const thingSchema = z.object({ name: z.string().min(1) }).strict();
const managedThing = route({
  params: { id: "invalid_cloud_id" },
  authorize: async (caller, { id }) => {
    steps.push("authorize");
    await authorize(caller.user, "manage", { cloud: id });
    return { cloudId: id, name: (name: string) => `${name} on ${id}` };
  },
  body: thingSchema,
  handle: async ({ permit, body }) => json({ said: permit.name(body.name) }, 201),
});

async function problemOf(response: Response) {
  assert.match(response.headers.get("content-type") ?? "", /^application\/problem\+json/);
  return (await response.json()) as { status: number; code: string; detail: string };
}

describe("the route declaration", () => {
  test("a permitted caller with a valid body reaches the handler with the permit", async () => {
    const { request, context } = post(cloudId, managerToken, JSON.stringify({ name: "n" }));
    const response = await managedThing(request, context);
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { said: `n on ${cloudId}` });
  });

  test("a bad token is 401 before anything else, a malformed path id included", async () => {
    const { request, context } = post("not-a-uuid", "psk_not_a_token", "{}");
    const response = await managedThing(request, context);
    assert.equal(response.status, 401);
    assert.equal((await problemOf(response)).code, "unauthenticated");
  });

  test("a malformed path id is refused with its declared code before the permit is asked or the body read", async () => {
    steps.length = 0;
    const { stream, seen } = watchedBody("{ not json");
    const { request, context } = post("not-a-uuid", managerToken, stream);
    const response = await managedThing(request, context);
    assert.equal(response.status, 400);
    assert.equal((await problemOf(response)).code, "invalid_cloud_id");
    assert.deepEqual(steps, []);
    assert.equal(seen.pulled, false);
  });

  test("a caller without the permit gets 403, not the body's 400 or 413, and the body is never read", async () => {
    const invalid = watchedBody("{ not json");
    const first = post(cloudId, strangerToken, invalid.stream);
    const denied = await managedThing(first.request, first.context);
    assert.equal(denied.status, 403);
    assert.equal((await problemOf(denied)).code, "permission_denied");
    assert.equal(invalid.seen.pulled, false);

    const huge = watchedBody("x".repeat(64 * 1024));
    const second = post(cloudId, strangerToken, huge.stream, { "content-length": String(64 * 1024) });
    const deniedAgain = await managedThing(second.request, second.context);
    assert.equal(deniedAgain.status, 403);
    assert.equal(huge.seen.pulled, false);
  });

  test("a permitted caller's body is held to the ceiling and the schema: 413, 400 invalid JSON, 400 schema, 415", async () => {
    const tooLarge = post(cloudId, managerToken, JSON.stringify({ name: "x".repeat(9 * 1024) }));
    const large = await managedThing(tooLarge.request, tooLarge.context);
    assert.equal(large.status, 413);
    assert.equal((await problemOf(large)).code, "request_body_too_large");
    assert.equal(large.headers.get("connection"), "close");

    const garbled = post(cloudId, managerToken, "{ not json");
    assert.equal((await problemOf(await managedThing(garbled.request, garbled.context))).code, "invalid_body");

    const mismatched = post(cloudId, managerToken, JSON.stringify({ name: "", extra: 1 }));
    const refused = await problemOf(await managedThing(mismatched.request, mismatched.context));
    assert.equal(refused.status, 400);
    assert.equal(refused.code, "invalid_body");
    assert.match(refused.detail, /name/);

    const notJson = post(cloudId, managerToken, "name=n", { "content-type": "application/x-www-form-urlencoded" });
    assert.equal((await managedThing(notJson.request, notJson.context)).status, 415);
  });

  test("an optional body may be absent, and is still checked when present", async () => {
    const optional = route({
      params: { id: "invalid_cloud_id" },
      authorize: (caller) => caller.user,
      body: optionalBody(z.object({ reason: z.string().max(3).optional() }).strict()),
      handle: async ({ body }) => json({ reason: body.reason ?? null }),
    });
    const absent = new Request(`http://console.test/v1/clouds/${cloudId}/things`, {
      method: "POST",
      headers: { authorization: `Bearer ${managerToken}` },
    });
    const answer = await optional(absent, { params: Promise.resolve({ id: cloudId }) });
    assert.deepEqual(await answer.json(), { reason: null });
    const { request, context } = post(cloudId, managerToken, JSON.stringify({ reason: "too long" }));
    assert.equal((await problemOf(await optional(request, context))).code, "invalid_body");
  });
});
