import { randomBytes, randomUUID } from "node:crypto";
import type { APIResponse } from "@playwright/test";
import { expect, query, test, uniqueSlug, type Target } from "../fixtures";
import { b64, cloudBody, seededCaller, type Caller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

/**
 * The contract's promise for a credential's payload: opaque bytes, refused
 * only when empty. Over /v1 the provider shape check advises (a
 * Plexsphere-Shape-Warning header naming rules, never a value), unless the
 * Cloud's managers made it strict.
 */
const DOMAIN_ID = "00000000-0000-7000-8000-000000000001";
const ISSUE = "POST /v1/clouds/{id}/cloud-credentials";
const ROTATE = "POST /v1/cloud-credentials/{id}/rotate";
const WARNING = "plexsphere-shape-warning";
// AWS's documented example pair, under the names ~/.aws/credentials and the SDKs use.
const AWS_OWN_NAMES = { aws_access_key_id: "AKIAIOSFODNN7EXAMPLE", aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

test.beforeEach(async ({ request }) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
});

async function people(target: Target) {
  return {
    operator: await seededCaller(target, { label: "op-operator", platformAdmin: true }),
    owner: await seededCaller(target, { label: "op-owner" }),
  };
}

test(
  "a generated client issuing AWS's own field names: issue, read by Location, list, request, approve, " +
    "revoke, delete-not-empty, no unexpected status",
  async ({ request, target, baseURL }) => {
    const { operator, owner } = await people(target);
    const as = (who: Caller) => who.headers;
    const project = await expectConforms(
      await request.post("/v1/projects", {
        headers: as(operator),
        data: { domain_id: DOMAIN_ID, name: "SDK project", slug: uniqueSlug("sdk") },
      }),
      "POST /v1/projects",
      201,
    );
    await expectConforms(
      await request.post(`/v1/authz/relation-tuples?project_id=${project.id}`, {
        headers: as(operator),
        data: { subject: `user:${owner.userId}`, relation: "manage", resource: `project:${project.id}` },
      }),
      "POST /v1/authz/relation-tuples",
      201,
    );
    const cloud = await expectConforms(
      await request.post("/v1/clouds", { headers: as(operator), data: cloudBody(uniqueSlug("sdk")) }),
      "POST /v1/clouds",
      201,
    );

    // Exactly the contract's body: no field of ours.
    const issued = await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: as(operator),
      data: {
        display_name: "sdk",
        payload: b64(JSON.stringify(AWS_OWN_NAMES)),
        key_values: { role_arn: "arn:aws:iam::123456789012:role/ci" },
      },
    });
    const credential = await expectConforms(issued, ISSUE, 201);
    // AWS's own names are AWS's shape: nothing to warn about.
    expect(issued.headers()[WARNING]).toBeUndefined();

    const location = issued.headers()["location"];
    expect(location).toBe(`/v1/cloud-credentials/${credential.id}`);
    expect(await expectConforms(await request.get(location, { headers: as(operator) }), "GET /v1/cloud-credentials/{id}", 200)).toEqual(
      credential,
    );
    const listed = await expectConforms(
      await request.get(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: as(operator) }),
      "GET /v1/clouds/{id}/cloud-credentials",
      200,
    );
    expect(listed.items.map((c: { id: string }) => c.id)).toEqual([credential.id]);

    await expectConforms(
      await request.post(`/v1/clouds/${cloud.id}/cloud-assignments`, { headers: as(operator), data: { project_id: project.id } }),
      "POST /v1/clouds/{id}/cloud-assignments",
      201,
    );
    const requested = await expectConforms(
      await request.post(`/v1/projects/${project.id}/credential-assignments`, {
        headers: as(owner),
        data: { cloud_credential_id: credential.id },
      }),
      "POST /v1/projects/{id}/credential-assignments",
      201,
    );
    // A generated client's approve: no body, no Content-Type.
    const approved = await fetch(`${baseURL}/v1/credential-assignments/${requested.id}/approve`, { method: "POST", headers: as(operator) });
    expect(approved.status, await approved.clone().text()).toBe(200);
    expect(await approved.json()).toMatchObject({ id: requested.id, state: "approved", materialised: true });
    const revoked = await expectConforms(
      await request.post(`/v1/credential-assignments/${requested.id}/revoke`, { headers: as(owner), data: { reason: "sdk run done" } }),
      "POST /v1/credential-assignments/{id}/revoke",
      200,
    );
    expect(revoked.state).toBe("revoked");

    const notEmpty = await expectConforms(
      await request.delete(`/v1/clouds/${cloud.id}`, { headers: as(operator) }),
      "DELETE /v1/clouds/{id}",
      409,
    );
    expect(notEmpty).toMatchObject({ code: "cloud_not_empty", cloud_child_counts: { cloud_credentials: 1 } });
  },
);

function expectWarning(response: APIResponse, ...secrets: string[]): string {
  const warning = response.headers()[WARNING];
  expect(warning, "the answer says the shape is unusual").toBeTruthy();
  expect(warning).toMatch(/access_key_id is missing; secret_access_key is missing/);
  for (const secret of secrets) expect(warning).not.toContain(secret);
  return warning;
}

test("any bytes the contract accepts are stored over /v1: 4096 random bytes, plain text, a rotate with plain bytes; only zero bytes are refused", async ({
  request,
  target,
}) => {
  const { operator } = await people(target);
  const h = operator.headers;
  const cloud = await expectConforms(
    await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug("opaque")) }),
    "POST /v1/clouds",
    201,
  );
  const issue = (data: object) => request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: h, data });

  const binary = await issue({ display_name: "binary", payload: randomBytes(4096).toString("base64") });
  expect((await expectConforms(binary, ISSUE, 201)).version).toBe(1);
  expectWarning(binary);

  const secret = `secret ${randomUUID()}`;
  const plain = await issue({ display_name: "plain", payload: b64(secret) });
  const credential = await expectConforms(plain, ISSUE, 201);
  expectWarning(plain, secret, b64(secret));
  const [entry] = await query<{ reason: string }>(
    target,
    "SELECT reason FROM audit_entries WHERE target_id = $1 AND action = 'credential.issue'",
    [credential.id],
  );
  expect(entry.reason).toBe("stored with a provider shape warning");

  const rotatedTo = `rotated ${randomUUID()}`;
  const rotated = await request.post(`/v1/cloud-credentials/${credential.id}/rotate`, {
    headers: h,
    data: { expected_version: 1, payload: b64(rotatedTo) },
  });
  expect((await expectConforms(rotated, ROTATE, 200)).version).toBe(2);
  expectWarning(rotated, rotatedTo);

  // The ceilings stay: zero bytes, and more than 4096.
  await expectConforms(await issue({ display_name: "empty", payload: "" }), ISSUE, 400).then((p) => expect(p.code).toBe("invalid_payload"));
  await expectConforms(await issue({ display_name: "big", payload: randomBytes(4097).toString("base64") }), ISSUE, 400).then((p) =>
    expect(p.code).toBe("invalid_payload"),
  );
  const [{ n }] = await query<{ n: string }>(target, "SELECT count(*)::text AS n FROM cloud_credentials WHERE cloud_id = $1", [cloud.id]);
  expect(n).toBe("2");
  expect(JSON.stringify(await (await request.get(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: h })).json())).not.toContain(
    secret,
  );
});

test("a strict Cloud refuses an unusual payload unless allow_unusual_shape; its managers set it with PATCH, audited", async ({
  request,
  target,
}) => {
  const { operator, owner: stranger } = await people(target);
  const h = operator.headers;
  const cloud = await expectConforms(
    await request.post("/v1/clouds", { headers: h, data: cloudBody(uniqueSlug("strict")) }),
    "POST /v1/clouds",
    201,
  );
  expect(cloud.strict_payload_shape).toBe(false);
  const shaped = await expectConforms(
    await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
      headers: h,
      data: { display_name: "shaped", payload: b64(JSON.stringify(AWS_OWN_NAMES)) },
    }),
    ISSUE,
    201,
  );

  const strictly = (who: Caller, strict: boolean) =>
    request.patch(`/v1/clouds/${cloud.id}`, { headers: who.headers, data: { strict_payload_shape: strict } });
  await expectConforms(await strictly(stranger, true), "PATCH /v1/clouds/{id}", 403);
  expect((await expectConforms(await strictly(operator, true), "PATCH /v1/clouds/{id}", 200)).strict_payload_shape).toBe(true);
  expect(
    (await expectConforms(await request.get(`/v1/clouds/${cloud.id}`, { headers: h }), "GET /v1/clouds/{id}", 200)).strict_payload_shape,
  ).toBe(true);
  await expectConforms(
    await request.patch(`/v1/clouds/${cloud.id}`, { headers: h, data: { strict_payload_shape: "yes" } }),
    "PATCH /v1/clouds/{id}",
    400,
  );

  const secret = `secret ${randomUUID()}`;
  const issue = (data: object) => request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, { headers: h, data });
  const refused = await expectConforms(await issue({ display_name: "plain", payload: b64(secret) }), ISSUE, 400);
  expect(refused.code).toBe("invalid_payload");
  expect(refused.detail).toContain("access_key_id is missing");
  expect(JSON.stringify(refused)).not.toContain(secret);
  const rotate = (data: object) => request.post(`/v1/cloud-credentials/${shaped.id}/rotate`, { headers: h, data });
  await expectConforms(await rotate({ expected_version: 1, payload: b64(secret) }), ROTATE, 400).then((p) =>
    expect(p.code).toBe("invalid_payload"),
  );

  const overridden = await issue({ display_name: "on purpose", payload: b64(secret), allow_unusual_shape: true });
  const written = await expectConforms(overridden, ISSUE, 201);
  expect(overridden.headers()[WARNING]).toBeUndefined();
  const [entry] = await query<{ reason: string }>(
    target,
    "SELECT reason FROM audit_entries WHERE target_id = $1 AND action = 'credential.issue'",
    [written.id],
  );
  expect(entry.reason).toBe("provider shape check overridden");
  expect(
    (await expectConforms(await rotate({ expected_version: 1, payload: b64(secret), allow_unusual_shape: true }), ROTATE, 200)).version,
  ).toBe(2);
  // The provider tools' own spellings pass a strict Cloud: the [default] profile of ~/.aws/credentials.
  const ini = `[default]\naws_access_key_id = ${AWS_OWN_NAMES.aws_access_key_id}\naws_secret_access_key = ${AWS_OWN_NAMES.aws_secret_access_key}\n`;
  await expectConforms(await issue({ display_name: "ini", payload: b64(ini) }), ISSUE, 201);

  await expectConforms(await strictly(operator, false), "PATCH /v1/clouds/{id}", 200);
  expectWarning(await issue({ display_name: "relaxed", payload: b64(secret) }), secret);
  const switches = await query<{ reason: string; actor_id: string }>(
    target,
    "SELECT reason, actor_id FROM audit_entries WHERE cloud_id = $1 AND action = 'cloud.update' AND outcome = 'succeeded' ORDER BY at",
    [cloud.id],
  );
  expect(switches).toEqual([
    { reason: "strict payload shape check on", actor_id: operator.userId },
    { reason: "strict payload shape check off", actor_id: operator.userId },
  ]);
});
