import { randomUUID } from "node:crypto";
import { cast, expect, query, test, uniqueSlug } from "../fixtures";
import { cloudBody, demoCaller, seededCaller, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

/** A Cloud's expiry reminders over /v1: the console's form, for its managers only, with the same rules. */
test.describe("GET and PUT /v1/clouds/{id}/reminders", () => {
  let manager: Caller;
  let cloudId: string;

  test.beforeEach(async ({ request, target }) => {
    await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
    // A second platform admin creates (and so manages) the Cloud; the demo operator, also an admin, only observes it.
    manager = await seededCaller(target, { label: "reminder-manager", platformAdmin: true });
    const created = await request.post("/v1/clouds", { headers: manager.headers, data: cloudBody(uniqueSlug("rem")) });
    cloudId = (await expectConforms(created, "POST /v1/clouds", 201)).id;
  });

  test("who may read and write: anonymous 401, outsider, observer and an absent Cloud alike 403, managers 200", async ({
    request,
    playwright,
    target,
  }) => {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    const observer = await demoCaller(session, target, cast.operator);
    const outsider = await demoCaller(session, target, cast.viewer);
    await session.dispose();
    const path = `/v1/clouds/${cloudId}/reminders`;
    const body = { enabled: true, days_ahead: 7, email: true };

    expect((await request.get(path)).status()).toBe(401);
    expect((await request.put(path, { data: body })).status()).toBe(401);
    // The observer sees the Cloud but not where its webhook points; "absent" and "not yours" answer the same.
    for (const caller of [observer, outsider]) {
      for (const id of [cloudId, randomUUID()]) {
        const url = `/v1/clouds/${id}/reminders`;
        await expectConforms(await request.get(url, { headers: caller.headers }), "GET /v1/clouds/{id}/reminders", 403).then((p) =>
          expect(p.code).toBe("permission_denied"),
        );
        // Refused before the body is read: even a malformed one is 403, not 400.
        await expectConforms(
          await request.put(url, { headers: caller.headers, data: { enabled: "nope", webhook_secret: "s" } }),
          "PUT /v1/clouds/{id}/reminders",
          403,
        );
      }
    }
    await expectConforms(
      await request.get("/v1/clouds/not-a-uuid/reminders", { headers: manager.headers }),
      "GET /v1/clouds/{id}/reminders",
      400,
    ).then((p) => expect(p.code).toBe("invalid_cloud_id"));
    expect(await expectConforms(await request.get(path, { headers: manager.headers }), "GET /v1/clouds/{id}/reminders", 200)).toEqual({
      enabled: false,
      days_ahead: 14,
      email: true,
      webhook_url: null,
      webhook_signed: false,
    });
    expect((await request.post(path, { headers: manager.headers, data: body })).status()).toBe(405);
  });

  test("a manager's round trip: saved, read back, audited; the signing secret is write-only; bad input is a problem and changes nothing", async ({
    request,
    target,
  }) => {
    const path = `/v1/clouds/${cloudId}/reminders`;
    const h = manager.headers;
    const secret = `whsec-${randomUUID()}`;
    // A loopback receiver: these servers set WEBHOOK_ALLOW_PRIVATE_ADDRESSES (the refusal itself is lib/reminders' unit test; an unresolvable host is below).
    const saved = await expectConforms(
      await request.put(path, {
        headers: h,
        data: { enabled: true, days_ahead: 30, email: false, webhook_url: "http://127.0.0.1:9/plexsphere", webhook_secret: secret },
      }),
      "PUT /v1/clouds/{id}/reminders",
      200,
    );
    const expected = { enabled: true, days_ahead: 30, email: false, webhook_url: "http://127.0.0.1:9/plexsphere", webhook_signed: true };
    expect(saved).toEqual(expected);
    expect(await expectConforms(await request.get(path, { headers: h }), "GET /v1/clouds/{id}/reminders", 200)).toEqual(expected);
    const trail = await query<{ actor_id: string; reason: string }>(
      target,
      "SELECT actor_id::text, reason FROM audit_entries WHERE cloud_id = $1 AND action = 'cloud.reminders_update'",
      [cloudId],
    );
    expect(trail).toEqual([{ actor_id: manager.userId, reason: "on, 30 days, email off, webhook signed" }]);
    const stored = JSON.stringify(await query(target, "SELECT * FROM cloud_reminder_settings WHERE cloud_id = $1", [cloudId]));
    expect(stored).not.toContain(secret);

    const bad: [unknown, string][] = [
      [{ enabled: true, days_ahead: 0, email: true }, "invalid_body"],
      [{ enabled: true, days_ahead: 91, email: true }, "invalid_body"],
      [{ enabled: true, days_ahead: 1.5, email: true }, "invalid_body"],
      [{ enabled: true, days_ahead: "7", email: true }, "invalid_body"],
      [{ enabled: "on", days_ahead: 7, email: true }, "invalid_body"],
      [{ days_ahead: 7, email: true }, "invalid_body"],
      [{ enabled: true, days_ahead: 7, email: true, extra: 1 }, "invalid_body"],
      [{ enabled: true, days_ahead: 7, email: true, webhook_url: "ftp://hooks.example.com/x" }, "invalid_body"],
      [{ enabled: true, days_ahead: 7, email: true, webhook_url: "https://user:pass@hooks.example.com/x" }, "invalid_body"],
      [{ enabled: true, days_ahead: 7, email: true, webhook_url: "not a url" }, "invalid_body"],
      [{ enabled: true, days_ahead: 7, email: true, webhook_secret: "" }, "invalid_body"],
      [[], "invalid_body"],
      // The host is checked through the public-address policy before anything is saved.
      [{ enabled: true, days_ahead: 7, email: true, webhook_url: "https://hooks.plexsphere.invalid/x" }, "webhook_url_unresolvable"],
    ];
    for (const [data, code] of bad) {
      const problem = await expectConforms(await request.put(path, { headers: h, data }), "PUT /v1/clouds/{id}/reminders", 400);
      expect(problem.code, JSON.stringify(data)).toBe(code);
    }
    expect(await expectConforms(await request.get(path, { headers: h }), "GET /v1/clouds/{id}/reminders", 200)).toEqual(expected);

    // Leaving the webhook out removes it; clearing the secret unsigns it.
    const cleared = await expectConforms(
      await request.put(path, { headers: h, data: { enabled: false, days_ahead: 3, email: true, clear_webhook_secret: true } }),
      "PUT /v1/clouds/{id}/reminders",
      200,
    );
    expect(cleared).toEqual({ enabled: false, days_ahead: 3, email: true, webhook_url: null, webhook_signed: false });
    expect(
      await query(target, "SELECT 1 FROM audit_entries WHERE cloud_id = $1 AND action = 'cloud.reminders_update'", [cloudId]),
    ).toHaveLength(2);
  });
});
