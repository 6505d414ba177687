import { cast, expect, query, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, demoCaller, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

const DAY = 86_400_000;
const AWS_PAIR = { access_key_id: "AKIAIOSFODNN7EXAMPLE", secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const ISSUE = "POST /v1/clouds/{id}/cloud-credentials";
const ROTATE = "POST /v1/cloud-credentials/{id}/rotate";
const PATCH = "PATCH /v1/cloud-credentials/{id}";

test.describe("renew and the provider shape over /v1", () => {
  let operator: Caller;

  test.beforeEach(async ({ playwright, target, request }) => {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    operator = await demoCaller(session, target, cast.operator);
    await session.dispose();
    await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  });

  test("PATCH and rotate accept a later expires_at up to a year from now, audited old → new; beyond is 400 invalid_expiry", async ({
    request,
    target,
  }) => {
    const h = operator.headers;
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
      "POST /v1/clouds",
      201,
    );
    const issued = await expectConforms(
      await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
        headers: h,
        data: { display_name: "renewable", payload: b64(JSON.stringify(AWS_PAIR)) },
      }),
      ISSUE,
      201,
    );
    const later = new Date(Date.now() + 300 * DAY).toISOString();
    const renewed = await expectConforms(
      await request.patch(`/v1/cloud-credentials/${issued.id}`, { headers: h, data: { expires_at: later } }),
      PATCH,
      200,
    );
    expect(new Date(renewed.expires_at).getTime()).toBe(new Date(later).getTime());
    expect(renewed).toMatchObject({ id: issued.id, version: 1, status: "active" });
    const [audit] = await query<{ reason: string; actor_id: string }>(
      target,
      "SELECT reason, actor_id FROM audit_entries WHERE target_id = $1 AND action = 'credential.renewed'",
      [issued.id],
    );
    expect(audit.reason).toBe(`expiry ${new Date(issued.expires_at).toISOString()} → ${new Date(later).toISOString()}`);

    const tooFar = new Date(Date.now() + 366 * DAY).toISOString();
    await expectConforms(
      await request.patch(`/v1/cloud-credentials/${issued.id}`, { headers: h, data: { expires_at: tooFar } }),
      PATCH,
      400,
    ).then((p) => expect(p.code).toBe("invalid_expiry"));
    const rotate = (data: object) => request.post(`/v1/cloud-credentials/${issued.id}/rotate`, { headers: h, data });
    await expectConforms(
      await rotate({ expected_version: 1, payload: b64(JSON.stringify(AWS_PAIR)), expires_at: tooFar }),
      ROTATE,
      400,
    ).then((p) => expect(p.code).toBe("invalid_expiry"));
    const unchanged = await expectConforms(
      await request.get(`/v1/cloud-credentials/${issued.id}`, { headers: h }),
      "GET /v1/cloud-credentials/{id}",
      200,
    );
    expect(unchanged).toMatchObject({ version: 1, expires_at: renewed.expires_at });

    const rotatedUntil = new Date(Date.now() + 360 * DAY).toISOString();
    const rotated = await expectConforms(
      await rotate({ expected_version: 1, payload: b64(JSON.stringify(AWS_PAIR)), expires_at: rotatedUntil }),
      ROTATE,
      200,
    );
    expect(rotated.version).toBe(2);
    expect(new Date(rotated.expires_at).getTime()).toBe(new Date(rotatedUntil).getTime());

    // An expired credential stays expired: no renewal brings it back.
    await query(target, "UPDATE cloud_credentials SET expires_at = now() - interval '1 minute' WHERE id = $1", [issued.id]);
    await expectConforms(
      await request.patch(`/v1/cloud-credentials/${issued.id}`, { headers: h, data: { expires_at: later } }),
      PATCH,
      409,
    ).then((p) => expect(p.code).toBe("credential_expired"));
    await expectConforms(
      await rotate({ expected_version: 2, payload: b64(JSON.stringify(AWS_PAIR)), expires_at: later }),
      ROTATE,
      409,
    ).then((p) => expect(p.code).toBe("credential_expired"));
  });

  test(
    "a payload without the provider's shape is stored with a Plexsphere-Shape-Warning naming the rule, " +
      "never the value; allow_unusual_shape says it is on purpose, audited",
    async ({ request, target }) => {
      const h = operator.headers;
      const cloud = await expectConforms(
        await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug()) }),
        "POST /v1/clouds",
        201,
      );
      const issue = (data: object) => request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: h, data });
      const warned = await issue({ display_name: "not json", payload: b64("not json at all") });
      const stored = await expectConforms(warned, ISSUE, 201);
      const warning = warned.headers()["plexsphere-shape-warning"];
      expect(warning).toContain("should be a JSON object");
      expect(warning).toContain("access_key_id is missing");
      expect(warning).not.toContain("not json at all");
      const [warnedEntry] = await query<{ reason: string }>(
        target,
        "SELECT reason FROM audit_entries WHERE target_id = $1 AND action = 'credential.issue'",
        [stored.id],
      );
      expect(warnedEntry.reason).toBe("stored with a provider shape warning");

      const secretCanary = `CANARY-${Date.now()}`;
      const half = await issue({ display_name: "half", payload: b64(JSON.stringify({ access_key_id: secretCanary })) });
      await expectConforms(half, ISSUE, 201);
      expect(half.headers()["plexsphere-shape-warning"]).toContain("secret_access_key is missing");
      expect(JSON.stringify(half.headers())).not.toContain(secretCanary);

      const overridden = await issue({ display_name: "odd on purpose", payload: b64("not json at all"), allow_unusual_shape: true });
      const written = await expectConforms(overridden, ISSUE, 201);
      expect(overridden.headers()["plexsphere-shape-warning"]).toBeUndefined();
      const [entry] = await query<{ reason: string }>(
        target,
        "SELECT reason FROM audit_entries WHERE target_id = $1 AND action = 'credential.issue'",
        [written.id],
      );
      expect(entry.reason).toBe("provider shape check overridden");

      const rotate = (data: object) => request.post(`/v1/cloud-credentials/${written.id}/rotate`, { headers: h, data });
      const plainRotate = await rotate({ expected_version: 1, payload: b64("still not json") });
      await expectConforms(plainRotate, ROTATE, 200);
      expect(plainRotate.headers()["plexsphere-shape-warning"]).toContain("should be a JSON object");
      const shapedRotate = await rotate({ expected_version: 2, payload: b64(JSON.stringify(AWS_PAIR)) });
      await expectConforms(shapedRotate, ROTATE, 200);
      expect(shapedRotate.headers()["plexsphere-shape-warning"]).toBeUndefined();
    },
  );
});
