import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { before, test } from "node:test";
import type { components } from "./.generated/newer/audit";
import { type Cast, signInCast } from "./harness";

/**
 * The newest contract's audit operations (contract/newer/audit.yaml, from
 * plexsphere-v1-newer.md §4), driven with the harness's client typed from
 * that fragment, as the newest SDK would: the Domain's and the platform's
 * chain pages, one entry with its proof (whose hash we recompute), the
 * filters' 400s, the gates, and erase-identity's 501. Every answer must
 * decode as the fragment's type, every problem as the newest Problem
 * (contract/conformance.ts).
 */
type Schemas = components["schemas"];

const people = {} as Record<"operator" | "owner", { id: string; client: Cast["operator"]["newer"]["audit"] }>;
let domainId = "";

before(async () => {
  const cast: Cast = await signInCast();
  for (const who of ["operator", "owner"] as const) people[who] = { id: cast[who].id, client: cast[who].newer.audit };
});

/** The one Domain's id, as every entry names it. */
async function theDomain(): Promise<string> {
  if (domainId) return domainId;
  const listed = await people.operator.client.GET("/v1/platform/audit/entries", { params: { query: { limit: 1 } } });
  domainId = listed.data!.items[0].domain_id;
  return domainId;
}

test("a Project owner is no auditor: 403 on the pages, 404 on an entry, 403 on erase and verify", async () => {
  const { client } = people.owner;
  const domain_id = await theDomain();
  const list = await client.GET("/v1/domains/{domain_id}/audit/entries", { params: { path: { domain_id } } });
  assert.equal(list.response.status, 403);
  assert.equal((await client.GET("/v1/platform/audit/entries")).response.status, 403);
  const entry = await client.GET("/v1/domains/{domain_id}/audit/entries/{seq}", { params: { path: { domain_id, seq: 1 } } });
  assert.equal(entry.response.status, 404);
  assert.equal((await client.GET("/v1/platform/audit/entries/{seq}", { params: { path: { seq: 1 } } })).response.status, 404);
  const body = { identity_id: people.owner.id };
  assert.equal(
    (await client.POST("/v1/domains/{domain_id}/audit/erase-identity", { params: { path: { domain_id } }, body })).response.status,
    403,
  );
  assert.equal((await client.POST("/v1/platform/audit/verify", {})).response.status, 403);
});

test("the chain in seq order, page by page; one entry's proof recomputes its hash", async () => {
  const { client } = people.operator;
  const domain_id = await theDomain();
  // A fresh server's trail holds the cast's sign-ins and token issues at least: pages of one.
  const first = await client.GET("/v1/domains/{domain_id}/audit/entries", { params: { path: { domain_id }, query: { limit: 1 } } });
  assert.equal(first.response.status, 200);
  const page: Schemas["AuditEntryList"] = first.data!;
  assert.equal(page.items.length, 1);
  assert.ok(page.next_cursor);
  const next = await client.GET("/v1/domains/{domain_id}/audit/entries", {
    params: { path: { domain_id }, query: { limit: 1, cursor: page.next_cursor } },
  });
  const second = next.data!.items[0];
  assert.equal(second.seq, page.items[0].seq + 1);

  const read = await client.GET("/v1/domains/{domain_id}/audit/entries/{seq}", { params: { path: { domain_id, seq: second.seq } } });
  assert.equal(read.response.status, 200);
  const { entry, proof }: Schemas["AuditEntryWithProof"] = read.data!;
  assert.deepEqual(entry, second);
  const inner = createHash("sha256").update(Buffer.from(proof.canonical_bytes, "base64")).digest();
  assert.equal(createHash("sha256").update(Buffer.from(proof.prev_hash, "hex")).update(inner).digest("hex"), proof.entry_hash);
  assert.equal(proof.entry_hash, entry.entry_hash);
  assert.equal(proof.prev_hash, page.items[0].entry_hash);
  const platform = await client.GET("/v1/platform/audit/entries/{seq}", { params: { path: { seq: second.seq } } });
  assert.deepEqual(platform.data?.proof, proof);

  const missing = await client.GET("/v1/platform/audit/entries/{seq}", { params: { path: { seq: 999_999_999_999 } } });
  assert.equal(missing.response.status, 404);
  const otherDomain = await client.GET("/v1/domains/{domain_id}/audit/entries", { params: { path: { domain_id: randomUUID() } } });
  assert.equal(otherDomain.response.status, 404);
});

test("filters: a pseudonym subject, a reason, an inclusive window; a foreign cursor, a plaintext subject and to before from are 400", async () => {
  const { client } = people.operator;
  const some = (await client.GET("/v1/platform/audit/entries", { params: { query: { limit: 1 } } })).data!;
  assert.ok(some.next_cursor, "the trail holds more than one entry");
  const subject = some.items[0].subject.pseudonym;
  const bySubject = await client.GET("/v1/platform/audit/entries", { params: { query: { subject, limit: 10 } } });
  assert.ok(bySubject.data!.items.every((e) => e.subject.pseudonym === subject));
  const denied = await client.GET("/v1/platform/audit/entries", { params: { query: { reason: "insufficient_relation", limit: 10 } } });
  assert.ok(denied.data!.items.every((e) => e.reason === "insufficient_relation"));
  const at = some.items[0].occurred_at;
  const window = await client.GET("/v1/platform/audit/entries", { params: { query: { from: at, to: at, limit: 200 } } });
  assert.ok(
    window.data!.items.some((e) => e.seq === some.items[0].seq),
    "from and to are inclusive",
  );

  const domain_id = await theDomain();
  const foreign = await client.GET("/v1/domains/{domain_id}/audit/entries", {
    params: { path: { domain_id }, query: { cursor: some.next_cursor } },
  });
  assert.equal(foreign.response.status, 400);
  assert.equal(foreign.error?.code, "invalid_cursor");
  for (const query of [{ subject: people.operator.id }, { from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z" }]) {
    const refused = await client.GET("/v1/platform/audit/entries", { params: { query } });
    assert.equal(refused.response.status, 400, JSON.stringify(query));
  }
});

test("verify on the Domain's and the platform's chain (one chain here); erase-identity is not provisioned (501)", async () => {
  const { client } = people.operator;
  const verdict = await client.POST("/v1/platform/audit/verify", {});
  assert.equal(verdict.data?.ok, true);
  const domain_id = await theDomain();
  const domainVerdict = await client.POST("/v1/domains/{domain_id}/audit/verify", {
    params: { path: { domain_id } },
    body: { from_seq: 1 },
  });
  assert.equal(domainVerdict.data?.ok, true);
  assert.equal(domainVerdict.data?.segment_from, 1);
  const erased = await client.POST("/v1/platform/audit/erase-identity", { body: { identity_id: people.owner.id } });
  assert.equal(erased.response.status, 501);
  assert.equal(erased.error?.code, "audit_not_provisioned");
});
