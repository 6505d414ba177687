import { randomInt } from "node:crypto";
import http from "node:http";
import { cast, DEMO_PASSWORD, expect, test } from "../fixtures";
import { expectConforms, loadOurOpenApi } from "../api/contract";
import { signedInApprover } from "./plexctl";

/**
 * The RFC 8628 endpoints plexctl login uses, seen from outside: the poll's
 * error taxonomy, who may approve, and the console page a person approves
 * or denies on. (Expiry is in lib/auth/device.test.ts, which controls time.)
 */
const startDevice = async (request: import("@playwright/test").APIRequestContext, clientId = "plexctl") => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  return expectConforms(await request.post("/v1/auth/device-code", { data: { client_id: clientId } }), "POST /v1/auth/device-code", 200);
};
const poll = (request: import("@playwright/test").APIRequestContext, deviceCode: string) =>
  request.post("/v1/auth/device-token", { data: { device_code: deviceCode } });

test("device-code is anonymous and answers RFC 8628 §3.2's fields", async ({ request, target }) => {
  const started = await startDevice(request);
  expect(started).toMatchObject({ verification_uri: `${target.baseURL}/device`, expires_in: 600, interval: 5 });
  expect(started.user_code).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}$/);
  expect(started.verification_uri_complete).toBe(`${target.baseURL}/device?user_code=${started.user_code}`);
  expect(started.device_code.length).toBeGreaterThanOrEqual(43);
  const refused = await request.post("/v1/auth/device-code", { data: { domain_id: "not-a-uuid" } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).code).toBe("invalid_body");
});

/**
 * POST /v1/auth/device-code from `localAddress`: every 127.x.y.z reaches this
 * machine, so a spec can be a client address of its own and spend a limit
 * no other spec shares.
 */
function askFrom(
  baseURL: string,
  localAddress: string,
): Promise<{ status: number; retryAfter?: string; contentType?: string; body: Record<string, unknown> }> {
  const url = new URL("/v1/auth/device-code", baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress,
        headers: { host: url.host, "content-type": "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers["retry-after"],
            contentType: res.headers["content-type"],
            body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ client_id: "plexctl" }));
  });
}

test("asking for device codes is limited per client address: the 21st in ten minutes is 429 with Retry-After, and others still get theirs", async ({
  request,
  target,
}) => {
  const address = `127.${randomInt(1, 255)}.${randomInt(256)}.${randomInt(1, 255)}`;
  const statuses = [];
  for (let i = 0; i < 20; i++) statuses.push((await askFrom(target.baseURL, address)).status);
  expect(statuses).toEqual(Array(20).fill(200));
  const refused = await askFrom(target.baseURL, address);
  expect(refused.status).toBe(429);
  expect(refused.contentType).toBe("application/problem+json");
  expect(refused.body).toMatchObject({ code: "device_code_throttled", status: 429 });
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(Number(refused.retryAfter)).toBeLessThanOrEqual(600);
  expect(refused.body.retry_after_seconds).toBe(Number(refused.retryAfter));
  // The spec's own client (another address) is not held back.
  await startDevice(request);
});

test("the poll: authorization_pending, then slow_down when too fast; unknown codes are invalid_grant", async ({ request }) => {
  const started = await startDevice(request);
  const first = await expectConforms(await poll(request, started.device_code), "POST /v1/auth/device-token", 400);
  expect(first).toMatchObject({ code: "authorization_pending", status: 400 });
  const second = await poll(request, started.device_code);
  expect(await second.json()).toMatchObject({ code: "slow_down", interval: 10 });
  expect((await (await poll(request, "no-such-code")).json()).code).toBe("invalid_grant");
});

test("approve: needs a signed-in caller with CSRF, 404/409 as the contract says, and the token acts as the approver, once", async ({
  playwright,
  request,
  target,
}) => {
  const started = await startDevice(request);
  const anonymous = await request.post("/v1/auth/device/approve", { data: { user_code: started.user_code } });
  expect(anonymous.status()).toBe(401);

  const operator = await signedInApprover(playwright, target, cast.operator);
  const noCsrf = await operator.context.post("/v1/auth/device/approve", { data: { user_code: started.user_code } });
  expect(noCsrf.status()).toBe(403);
  const malformed = await operator.context.post("/v1/auth/device/approve", { headers: operator.headers, data: { user_code: "ABCD-EFG1" } });
  expect((await malformed.json()).code).toBe("invalid_body");
  const unknown = await operator.context.post("/v1/auth/device/approve", { headers: operator.headers, data: { user_code: "AAAA-AAAA" } });
  expect((await expectConforms(unknown, "POST /v1/auth/device/approve", 404)).code).toBe("device_code_not_found");

  const approved = await operator.context.post("/v1/auth/device/approve", {
    headers: operator.headers,
    data: { user_code: started.user_code.replace("-", "") },
  });
  expect(await expectConforms(approved, "POST /v1/auth/device/approve", 200)).toEqual({ status: "approved" });
  const twice = await operator.context.post("/v1/auth/device/approve", {
    headers: operator.headers,
    data: { user_code: started.user_code },
  });
  expect((await expectConforms(twice, "POST /v1/auth/device/approve", 409)).code).toBe("device_code_already_approved");
  await operator.context.dispose();

  const body = await expectConforms(await poll(request, started.device_code), "POST /v1/auth/device-token", 200);
  expect(body).toMatchObject({ token_type: "Bearer", expires_in: 43_200 });
  const whoami = await request.get("/v1/auth/whoami", { headers: { authorization: `Bearer ${body.access_token}` } });
  expect((await whoami.json()).email).toBe(cast.operator);
  // One approval, one token: the device code is spent.
  expect((await (await poll(request, started.device_code)).json()).code).toBe("invalid_grant");
});

test("the verification page: a signed-out person signs in and comes back to the code; they see who asks and approve or deny", async ({
  page,
  request,
}) => {
  const denied = await startDevice(request, "e2e-deny-client");
  const approvedLater = await startDevice(request, "e2e-approve-client");

  // Signed out: the link from the terminal survives the sign-in.
  await page.goto(denied.verification_uri_complete.replace(/^https?:\/\/[^/]+/, ""));
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel("Email").fill(cast.owner);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/device\\?user_code=${denied.user_code}$`));
  await expect(page.getByTestId("device-client")).toContainText("e2e-deny-client");
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByRole("status")).toContainText("Denied");
  expect((await (await poll(request, denied.device_code)).json()).code).toBe("access_denied");

  await page.goto(`/device?user_code=${approvedLater.user_code.toLowerCase()}`);
  await expect(page.getByTestId("device-client")).toContainText("e2e-approve-client");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toContainText("Approved");
  await expect(page.getByTestId("device-state")).toHaveText("approved");
  const token = await (await poll(request, approvedLater.device_code)).json();
  const whoami = await request.get("/v1/auth/whoami", { headers: { authorization: `Bearer ${token.access_token}` } });
  expect((await whoami.json()).email).toBe(cast.owner);
});

test("the login page only returns to paths on this console", async ({ page, baseURL }) => {
  // Browsers drop a tab and read a backslash as a slash, so each of these would have left for evil.example.
  for (const next of ["//evil.example/device", "/%09/evil.example/device", "/%5Cevil.example/device", "/\\evil.example"]) {
    await page.context().clearCookies();
    await page.goto(`/login?next=${next}`);
    await page.getByLabel("Email").fill(cast.viewer);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${baseURL}/clouds`);
  }
});
