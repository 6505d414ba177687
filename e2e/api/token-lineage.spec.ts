import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../fixtures";
import { seededCaller, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

/**
 * A token minted with a token — by POST /v1/auth/tokens or by approving a
 * device login with it — never outlives its parent and stops working the
 * moment the parent (or any ancestor) is revoked. Minting tokens and trying
 * device user codes are rate limited. Each test seeds its own people, so
 * their limits are spent by nobody else.
 */
const bearer = (plaintext: string) => ({ authorization: `Bearer ${plaintext}` });

async function mint(request: APIRequestContext, caller: { userId: string; headers: Record<string, string> }, ttlSeconds: number) {
  return expectConforms(
    await request.post("/v1/auth/tokens", {
      headers: caller.headers,
      data: { identity_ref: `user:${caller.userId}`, env_prefix: "dev", ttl_seconds: ttlSeconds },
    }),
    "POST /v1/auth/tokens",
    201,
  );
}

/** plexctl login approved with `approver`'s bearer token: the device token the CLI's poll receives. */
async function deviceLogin(request: APIRequestContext, approver: Record<string, string>) {
  const started = await expectConforms(
    await request.post("/v1/auth/device-code", { data: { client_id: "plexctl" } }),
    "POST /v1/auth/device-code",
    200,
  );
  await expectConforms(
    await request.post("/v1/auth/device/approve", { headers: approver, data: { user_code: started.user_code } }),
    "POST /v1/auth/device/approve",
    200,
  );
  const polled = await request.post("/v1/auth/device-token", { data: { device_code: started.device_code } });
  expect(polled.status()).toBe(200);
  return (await polled.json()) as { access_token: string; expires_in: number };
}

const whoami = async (request: APIRequestContext, plaintext: string) =>
  (await request.get("/v1/auth/whoami", { headers: bearer(plaintext) })).status();

test.describe("tokens minted with tokens", () => {
  let owner: Caller;

  test.beforeEach(async ({ request, target }) => {
    owner = await seededCaller(target, { label: "lineage" });
    await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  });

  test("a 300-second token's device login and minted tokens expire with it, and die the moment it is revoked", async ({ request }) => {
    const parent = await mint(request, owner, 300);
    const asParent = { userId: owner.userId, headers: bearer(parent.plaintext) };

    const device = await deviceLogin(request, asParent.headers);
    expect(device.expires_in).toBeLessThanOrEqual(300);
    const child = await mint(request, asParent, 365 * 86_400);
    expect(new Date(child.expires_at).getTime()).toBeLessThanOrEqual(new Date(parent.expires_at).getTime());
    const asChild = { userId: owner.userId, headers: bearer(child.plaintext) };
    const grandchild = await mint(request, asChild, 365 * 86_400);
    expect(new Date(grandchild.expires_at).getTime()).toBeLessThanOrEqual(new Date(parent.expires_at).getTime());
    const deviceGrandchild = await deviceLogin(request, asChild.headers);
    expect(deviceGrandchild.expires_in).toBeLessThanOrEqual(300);

    const descendants = [device.access_token, child.plaintext, grandchild.plaintext, deviceGrandchild.access_token];
    for (const plaintext of descendants) expect(await whoami(request, plaintext)).toBe(200);

    // A short-lived token may not rotate a token it did not mint (the new plaintext would outlive it)...
    const unrelated = await mint(request, owner, 86_400);
    const stolen = await request.post(`/v1/auth/tokens/${unrelated.id}/rotate`, { headers: asParent.headers });
    expect(stolen.status()).toBe(403);
    // ...and rotating one it did mint stays inside its own lifetime.
    const rotated = await expectConforms(
      await request.post(`/v1/auth/tokens/${child.id}/rotate`, { headers: asParent.headers }),
      "POST /v1/auth/tokens/{id}/rotate",
      200,
    );
    expect(new Date(rotated.expires_at).getTime()).toBeLessThanOrEqual(new Date(parent.expires_at).getTime());

    await expectConforms(
      await request.delete(`/v1/auth/tokens/${parent.id}`, { headers: owner.headers }),
      "DELETE /v1/auth/tokens/{id}",
      204,
    );
    for (const plaintext of [parent.plaintext, ...descendants, rotated.plaintext]) expect(await whoami(request, plaintext)).toBe(401);
    // The token that minted the parent, and the one it did not, are untouched.
    expect(await whoami(request, owner.token)).toBe(200);
    expect(await whoami(request, unrelated.plaintext)).toBe(200);
    const listed = await expectConforms(await request.get("/v1/auth/tokens", { headers: owner.headers }), "GET /v1/auth/tokens", 200);
    expect(listed.map((t: { id: string }) => t.id)).not.toContain(child.id);
  });
});

test.describe("rate limits on minting", () => {
  test("minting tokens: past 30 a minute an account gets 429 token_issue_throttled with Retry-After; another account mints on", async ({
    request,
    target,
  }) => {
    const busy = await seededCaller(target, { label: "mints-a-lot" });
    const bystander = await seededCaller(target, { label: "mints-once" });
    const body = (caller: Caller) => ({ identity_ref: `user:${caller.userId}`, env_prefix: "dev", ttl_seconds: 600 });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await request.post("/v1/auth/tokens", { headers: busy.headers, data: body(busy) })).status());
    expect(statuses).toEqual(Array(30).fill(201));
    const refused = await request.post("/v1/auth/tokens", { headers: busy.headers, data: body(busy) });
    expect(refused.status()).toBe(429);
    expect(refused.headers()["content-type"]).toMatch(/^application\/problem\+json/);
    const wait = Number(refused.headers()["retry-after"]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await refused.json()).toMatchObject({ code: "token_issue_throttled", status: 429, retry_after_seconds: wait });
    expect((await request.post("/v1/auth/tokens", { headers: bystander.headers, data: body(bystander) })).status()).toBe(201);
  });

  test("device user codes: past 10 wrong ones a person gets 429 device_lookup_throttled, even for the right code; another person approves it", async ({
    request,
    target,
  }) => {
    const guesser = await seededCaller(target, { label: "guesses-codes" });
    const bystander = await seededCaller(target, { label: "approves" });
    const started = (await (await request.post("/v1/auth/device-code", { data: { client_id: "plexctl" } })).json()) as {
      user_code: string;
    };
    const wrong = () => Array.from({ length: 8 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ234567"[Math.floor(Math.random() * 30)]).join("");
    for (let i = 0; i < 10; i++) {
      expect((await request.post("/v1/auth/device/approve", { headers: guesser.headers, data: { user_code: wrong() } })).status()).toBe(
        404,
      );
    }
    const refused = await request.post("/v1/auth/device/approve", { headers: guesser.headers, data: { user_code: started.user_code } });
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await refused.json()).code).toBe("device_lookup_throttled");
    expect(
      (await request.post("/v1/auth/device/approve", { headers: bystander.headers, data: { user_code: started.user_code } })).status(),
    ).toBe(200);
  });
});
