import { createHash, randomUUID } from "node:crypto";
import { cast, expect, query, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, demoCaller, seededCaller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

/**
 * Issue 23: the credential <-> Cloud associations (the June catalog's
 * /v1/cloud-credentials/{id}/clouds[/{cloud_id}]) and the newest contract's
 * audit chain reads, called the way a client of either SDK calls them.
 */
const CLOUDS = "/v1/cloud-credentials/{id}/clouds";
const CLOUD = "/v1/cloud-credentials/{id}/clouds/{cloud_id}";

test("credential <-> Cloud associations: who may attach and detach, the home Cloud stays, a revoked credential takes no Cloud", async ({
  playwright,
  request,
  target,
}) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const session = await playwright.request.newContext({ baseURL: target.baseURL });
  const operator = await demoCaller(session, target, cast.operator);
  await session.dispose();
  const observer = await seededCaller(target, { label: "home-observer" });
  const stranger = await seededCaller(target, { label: "stranger" });

  const home = await expectConforms(
    await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug()) }),
    "POST /v1/clouds",
    201,
  );
  const usage = await expectConforms(
    await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug()) }),
    "POST /v1/clouds",
    201,
  );
  await query(
    target,
    `INSERT INTO relation_tuples (id, object_type, object_id, relation, subject_type, subject_id) VALUES ($1, 'cloud', $2, 'observer', 'user', $3)`,
    [randomUUID(), home.id, observer.userId],
  );
  const credential = await expectConforms(
    await request.post(`/v1/clouds/${home.id}/cloud-credentials`, {
      headers: operator.headers,
      data: { display_name: "shared", payload: b64("s"), allow_unusual_shape: true },
    }),
    "POST /v1/clouds/{id}/cloud-credentials",
    201,
  );
  const clouds = `/v1/cloud-credentials/${credential.id}/clouds`;
  const served = async (who = operator) =>
    (await expectConforms(await request.get(clouds, { headers: who.headers }), `GET ${CLOUDS}`, 200)).items.map(
      (c: { cloud_id: string }) => c.cloud_id,
    );

  // A credential serves its home Cloud from the start; an observer of it may read the list, a stranger is told it does not exist.
  expect(await served()).toEqual([home.id]);
  expect(await served(observer)).toEqual([home.id]);
  expect((await expectConforms(await request.get(clouds, { headers: stranger.headers }), `GET ${CLOUDS}`, 404)).code).toBe(
    "cloud_credential_not_found",
  );

  // Attaching needs manage: the observer is refused (403, before the body is read), the stranger sees nothing.
  const attach = (who: typeof operator, data: unknown) => request.post(clouds, { headers: who.headers, data });
  const refused = await expectConforms(await attach(observer, { cloud_id: usage.id }), `POST ${CLOUDS}`, 403);
  expect(refused.correlation_id).toBeTruthy();
  expect((await expectConforms(await attach(observer, "not json at all"), `POST ${CLOUDS}`, 403)).code).toBe("permission_denied");
  expect((await expectConforms(await attach(stranger, { cloud_id: usage.id }), `POST ${CLOUDS}`, 404)).code).toBe(
    "cloud_credential_not_found",
  );
  expect(await served()).toEqual([home.id]);

  // Malformed input, and a Cloud that does not exist.
  expect((await expectConforms(await attach(operator, { cloud_id: "nope" }), `POST ${CLOUDS}`, 400)).code).toBe("invalid_cloud_id");
  expect((await expectConforms(await attach(operator, {}), `POST ${CLOUDS}`, 400)).code).toBe("invalid_body");
  expect((await expectConforms(await attach(operator, { cloud_id: randomUUID() }), `POST ${CLOUDS}`, 404)).code).toBe("cloud_not_found");
  expect(
    (await expectConforms(await request.get("/v1/cloud-credentials/nope/clouds", { headers: operator.headers }), `GET ${CLOUDS}`, 400))
      .code,
  ).toBe("invalid_cloud_credential_id");

  // Attach is idempotent: 201 both times, one edge, listed by cloud_id.
  expect(await expectConforms(await attach(operator, { cloud_id: usage.id }), `POST ${CLOUDS}`, 201)).toEqual({ cloud_id: usage.id });
  expect(await expectConforms(await attach(operator, { cloud_id: usage.id }), `POST ${CLOUDS}`, 201)).toEqual({ cloud_id: usage.id });
  expect(await served()).toEqual([home.id, usage.id].sort());
  const firstPage = await expectConforms(await request.get(`${clouds}?limit=1`, { headers: operator.headers }), `GET ${CLOUDS}`, 200);
  expect(firstPage.items).toHaveLength(1);
  const secondPage = await expectConforms(
    await request.get(`${clouds}?limit=1&cursor=${encodeURIComponent(firstPage.next_cursor)}`, { headers: operator.headers }),
    `GET ${CLOUDS}`,
    200,
  );
  expect([...firstPage.items, ...secondPage.items].map((c: { cloud_id: string }) => c.cloud_id)).toEqual([home.id, usage.id].sort());
  expect(secondPage.next_cursor).toBeUndefined();

  // The usage Cloud now keeps a credential: it is not empty.
  const notEmpty = await expectConforms(
    await request.delete(`/v1/clouds/${usage.id}`, { headers: operator.headers }),
    "DELETE /v1/clouds/{id}",
    409,
  );
  expect(notEmpty.cloud_child_counts).toEqual({ cloud_credentials: 0, cloud_credential_usages: 1 });

  // The home Cloud can never be detached; the observer may not detach anything; a usage Cloud detaches twice with 204.
  const detach = (who: typeof operator, cloudId: string) => request.delete(`${clouds}/${cloudId}`, { headers: who.headers });
  expect((await expectConforms(await detach(operator, home.id), `DELETE ${CLOUD}`, 409)).code).toBe("cannot_detach_home_cloud");
  expect((await expectConforms(await detach(observer, usage.id), `DELETE ${CLOUD}`, 403)).code).toBe("permission_denied");
  expect((await expectConforms(await detach(operator, "nope"), `DELETE ${CLOUD}`, 400)).code).toBe("invalid_cloud_id");
  await expectConforms(await detach(operator, usage.id), `DELETE ${CLOUD}`, 204);
  await expectConforms(await detach(operator, usage.id), `DELETE ${CLOUD}`, 204);
  expect(await served()).toEqual([home.id]);

  // Each change is in the audit trail, once.
  const trail = await query<{ action: string; reason: string }>(
    target,
    `SELECT action, reason FROM audit_entries WHERE target_id = $1 AND action LIKE 'credential.cloud_%' ORDER BY at`,
    [credential.id],
  );
  expect(trail.map((e) => e.action)).toEqual(["credential.cloud_attach", "credential.cloud_detach"]);

  // A revoked credential picks up no further Cloud.
  await expectConforms(
    await request.post(`/v1/cloud-credentials/${credential.id}/revoke`, { headers: operator.headers, data: { reason: "rotated out" } }),
    "POST /v1/cloud-credentials/{id}/revoke",
    200,
  );
  expect((await expectConforms(await attach(operator, { cloud_id: usage.id }), `POST ${CLOUDS}`, 409)).code).toBe(
    "cloud_credential_revoked",
  );
  expect(await served()).toEqual([home.id]);
});

const ENTRIES = "/v1/domains/{domain_id}/audit/entries";
const ENTRY = "/v1/domains/{domain_id}/audit/entries/{seq}";
const PLATFORM_ENTRIES = "/v1/platform/audit/entries";
const PLATFORM_ENTRY = "/v1/platform/audit/entries/{seq}";

test("the audit chain reads: auditors only, seq order, filters, and a proof a client recomputes the hash from", async ({
  playwright,
  request,
  target,
}) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const callers = {} as Record<"operator" | "owner", Awaited<ReturnType<typeof demoCaller>>>;
  for (const [who, email] of [
    ["operator", cast.operator],
    ["owner", cast.owner],
  ] as const) {
    const session = await playwright.request.newContext({ baseURL: target.baseURL });
    callers[who] = await demoCaller(session, target, email);
    await session.dispose();
  }
  const { operator, owner } = callers;
  const domainId = (await (await request.get("/v1/auth/whoami", { headers: operator.headers })).json()).domain_id;
  const entries = `/v1/domains/${domainId}/audit/entries`;
  const get = (path: string, who = operator) => request.get(path, { headers: who.headers });

  // A Project owner is no auditor: 403 on the lists, 404 on an entry (the contract has no 403 there), 403 on erase.
  expect((await expectConforms(await get(entries, owner), `GET ${ENTRIES}`, 403)).code).toBe("permission_denied");
  expect((await expectConforms(await get("/v1/platform/audit/entries", owner), `GET ${PLATFORM_ENTRIES}`, 403)).code).toBe(
    "permission_denied",
  );
  expect((await expectConforms(await get(`${entries}/1`, owner), `GET ${ENTRY}`, 404)).code).toBe("audit_entry_not_found");
  expect((await expectConforms(await get("/v1/platform/audit/entries/1", owner), `GET ${PLATFORM_ENTRY}`, 404)).code).toBe(
    "audit_entry_not_found",
  );
  const eraseBody = { identity_id: owner.userId };
  expect(
    (
      await expectConforms(
        await request.post(`/v1/domains/${domainId}/audit/erase-identity`, { headers: owner.headers, data: eraseBody }),
        "POST /v1/domains/{domain_id}/audit/erase-identity",
        403,
      )
    ).code,
  ).toBe("permission_denied");
  await expectConforms(await request.post("/v1/platform/audit/verify", { headers: owner.headers }), "POST /v1/platform/audit/verify", 403);

  // Another Domain: 404 after the gate.
  const otherDomain = `/v1/domains/${randomUUID()}/audit/entries`;
  expect((await expectConforms(await get(otherDomain), `GET ${ENTRIES}`, 404)).code).toBe("domain_not_found");
  expect((await expectConforms(await get(`${otherDomain}/1`), `GET ${ENTRY}`, 404)).code).toBe("audit_entry_not_found");

  // Pages in seq order; the cursor carries on where the page stopped.
  const first = await expectConforms(await get(`${entries}?limit=2`), `GET ${ENTRIES}`, 200);
  expect(first.items).toHaveLength(2);
  expect(first.items[1].seq).toBe(first.items[0].seq + 1);
  expect(first.items[0].domain_id).toBe(domainId);
  const second = await expectConforms(
    await get(`${entries}?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`),
    `GET ${ENTRIES}`,
    200,
  );
  expect(second.items[0].seq).toBe(first.items[1].seq + 1);

  // A cursor from another chain (or another list) is invalid_cursor.
  const platformFirst = await expectConforms(await get("/v1/platform/audit/entries?limit=1"), `GET ${PLATFORM_ENTRIES}`, 200);
  expect(platformFirst.items[0].seq).toBe(first.items[0].seq);
  expect(
    (await expectConforms(await get(`${entries}?cursor=${encodeURIComponent(platformFirst.next_cursor)}`), `GET ${ENTRIES}`, 400)).code,
  ).toBe("invalid_cursor");
  const older = await (await get("/v1/audit/entries?limit=1")).json();
  expect((await expectConforms(await get(`${entries}?cursor=${encodeURIComponent(older.next_cursor)}`), `GET ${ENTRIES}`, 400)).code).toBe(
    "invalid_cursor",
  );

  // Filters: a malformed one is a 400; the subject is a pseudonym, never a plaintext id.
  for (const bad of ["subject=" + operator.userId, "subject=zz", "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "reason=because"]) {
    expect((await expectConforms(await get(`${entries}?${bad}`), `GET ${ENTRIES}`, 400)).code, bad).toBe("invalid_filter");
  }
  const mine = first.items.find((e: { subject: { identity_id_ref?: string } }) => e.subject.identity_id_ref) ?? first.items[0];
  expect(mine.subject.pseudonym).toMatch(/^[0-9a-f]{64}$/);
  expect(mine.subject.pseudonym).not.toContain(mine.subject.identity_id_ref ?? "-");
  const bySubject = await expectConforms(await get(`${entries}?subject=${mine.subject.pseudonym}&limit=20`), `GET ${ENTRIES}`, 200);
  expect(bySubject.items.length).toBeGreaterThan(0);
  for (const e of bySubject.items) expect(e.subject.pseudonym).toBe(mine.subject.pseudonym);
  const denials = await expectConforms(await get(`${entries}?reason=insufficient_relation&limit=20`), `GET ${ENTRIES}`, 200);
  // The owner's refusals above are among them.
  expect(denials.items.length).toBeGreaterThan(0);
  for (const e of denials.items) expect(e.decision.result).toBe("denied");
  const byCorrelation = await expectConforms(
    await get(`${entries}?correlation_id=${encodeURIComponent(denials.items[0].correlation_id)}`),
    `GET ${ENTRIES}`,
    200,
  );
  expect(byCorrelation.items.map((e: { seq: number }) => e.seq)).toContain(denials.items[0].seq);

  // One entry, with the bytes its hash covers: entry_hash = sha256(prev_hash || sha256(canonical_bytes)).
  const read = await expectConforms(await get(`${entries}/${second.items[0].seq}`), `GET ${ENTRY}`, 200);
  expect(read.entry).toEqual(second.items[0]);
  const inner = createHash("sha256").update(Buffer.from(read.proof.canonical_bytes, "base64")).digest();
  const recomputed = createHash("sha256").update(Buffer.from(read.proof.prev_hash, "hex")).update(inner).digest("hex");
  expect(recomputed).toBe(read.proof.entry_hash);
  expect(read.proof.entry_hash).toBe(read.entry.entry_hash);
  expect(read.proof.prev_hash).toBe(first.items[1].entry_hash);
  expect(
    (await expectConforms(await get(`/v1/platform/audit/entries/${second.items[0].seq}`), `GET ${PLATFORM_ENTRY}`, 200)).proof,
  ).toEqual(read.proof);
  expect((await expectConforms(await get(`${entries}/0`), `GET ${ENTRY}`, 400)).code).toBe("invalid_seq");
  expect((await expectConforms(await get(`${entries}/999999999999`), `GET ${ENTRY}`, 404)).code).toBe("audit_entry_not_found");

  // The platform chain verifies as the Domain's does; erasing an identity is not provisioned here.
  const verdict = await expectConforms(
    await request.post("/v1/platform/audit/verify", { headers: operator.headers }),
    "POST /v1/platform/audit/verify",
    200,
  );
  expect(verdict.ok).toBe(true);
  for (const path of [`/v1/domains/${domainId}/audit/erase-identity`, "/v1/platform/audit/erase-identity"]) {
    const template = path.startsWith("/v1/platform") ? "/v1/platform/audit/erase-identity" : "/v1/domains/{domain_id}/audit/erase-identity";
    expect(
      (await expectConforms(await request.post(path, { headers: operator.headers, data: eraseBody }), `POST ${template}`, 501)).code,
    ).toBe("audit_not_provisioned");
    expect((await expectConforms(await request.post(path, { headers: operator.headers, data: {} }), `POST ${template}`, 400)).code).toBe(
      "invalid_body",
    );
  }
});
