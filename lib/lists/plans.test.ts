import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { cloudsSql, createCloud, CREDENTIAL_COUNT_CAP } from "@/lib/clouds/service";
import { cloudCredentialsSql, expiringSql, type CredentialCursor } from "@/lib/credentials/list";
import { sweepSql } from "@/lib/credentials/lifecycle";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { projectsSql } from "@/lib/projects/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { FAR_FUTURE, seedCredentials } from "@/testing/seed-bulk";

/**
 * Every list a page or the sweeper runs, EXPLAINed against a Cloud with
 * 20,000 credentials (seeded in one SQL statement): the plan reads the big
 * tables through an index, never a sequential scan, and the scan reads no
 * more rows than the page returns plus one.
 */
const ROWS = 20_000;
const LIMIT = 50;
const BIG_TABLES = new Set(["cloud_credentials", "secret_revocations"]);

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function explain(query: Prisma.Sql, analyze = true): Promise<PlanNode> {
  const db = await testDatabase();
  const rows = await db.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (${analyze ? "ANALYZE, " : ""}FORMAT JSON) ${query.text}`, ...query.values);
  const raw = rows[0]["QUERY PLAN"];
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return parsed[0].Plan;
}

/** Asserts the plan touches the big tables only through indexes, each scan reading at most `bound` rows per loop. */
function assertBounded(plan: PlanNode, bound: number, label: string) {
  const scans = nodes(plan).filter((n) => n["Relation Name"] && BIG_TABLES.has(n["Relation Name"]));
  assert.ok(scans.length > 0, `${label}: the plan reads the credential table`);
  for (const scan of scans) {
    assert.ok(!/Seq Scan/.test(scan["Node Type"]), `${label}: ${scan["Node Type"]} on ${scan["Relation Name"]}\n${JSON.stringify(plan, null, 1)}`);
    if (scan["Actual Rows"] === undefined) continue;
    const read = scan["Actual Rows"] + (scan["Rows Removed by Filter"] ?? 0) + (scan["Rows Removed by Index Recheck"] ?? 0);
    assert.ok(read <= bound, `${label}: ${scan["Node Type"]} on ${scan["Relation Name"]} (${scan["Index Name"] ?? "-"}) read ${read} rows per loop, more than ${bound}`);
  }
}

describe("list queries read through indexes, a page at a time", () => {
  let cloudId = "";
  let middle: CredentialCursor;
  let viewer: { id: string };
  const now = FAR_FUTURE;

  before(async () => {
    const db = await testDatabase();
    const operator = await createTestUser({ platformAdmin: true });
    viewer = operator;
    const big = await createCloud(operator, { display_name: "Big", slug: uniqueSlug(), provider: "aws", external_id: randomUUID(), endpoint: {}, region_defaults: {} });
    const small = await createCloud(operator, { display_name: "Small", slug: uniqueSlug(), provider: "aws", external_id: randomUUID(), endpoint: {}, region_defaults: {} });
    cloudId = big.id;
    await seedCredentials(db, small.id, operator.id, 500, now);
    await seedCredentials(db, big.id, operator.id, ROWS, now);
    // Revoked and expired credentials owe (or owed) the engine a deletion, as they do in production.
    await db.$executeRaw`
      INSERT INTO secret_revocations (credential_id, cause, completed_at)
      SELECT id, CASE WHEN revoked_at IS NOT NULL THEN 'revoke' ELSE 'expiry' END, now()
      FROM cloud_credentials WHERE revoked_at IS NOT NULL OR expired_at IS NOT NULL
      ON CONFLICT DO NOTHING`;
    await db.$executeRawUnsafe("ANALYZE");
    const [row] = await db.$queryRaw<{ createdAt: Date; id: string }[]>`
      SELECT created_at AS "createdAt", id::text AS id FROM cloud_credentials WHERE cloud_id = ${cloudId}::uuid ORDER BY created_at DESC, id DESC OFFSET ${ROWS / 2} LIMIT 1`;
    middle = { createdAt: row.createdAt.toISOString(), id: row.id };
  });
  after(closeTestDatabase);

  test("the Cloud page: first, next and previous pages, every status filter", async () => {
    const cases: [string, Parameters<typeof cloudCredentialsSql>[0]][] = [
      ["first page", { cloudId, limit: LIMIT, order: "desc", now }],
      ["next page", { cloudId, limit: LIMIT, order: "desc", after: middle, now }],
      ["previous page", { cloudId, limit: LIMIT, order: "desc", before: middle, now }],
      ["/v1 order", { cloudId, limit: 200, order: "asc", after: middle, now }],
      ["active", { cloudId, limit: LIMIT, order: "desc", status: "active", now }],
      ["active, next page", { cloudId, limit: LIMIT, order: "desc", status: "active", after: middle, now }],
      ["revoked", { cloudId, limit: LIMIT, order: "desc", status: "revoked", now }],
      ["expired", { cloudId, limit: LIMIT, order: "desc", status: "expired", after: middle, now }],
    ];
    for (const [label, query] of cases) {
      assertBounded(await explain(cloudCredentialsSql(query).sql), query.limit + 1, label);
    }
  });

  test("Expiring soon, across every Cloud and for one", async () => {
    const until = new Date(now.getTime() + 30 * 86_400_000);
    assertBounded(await explain(expiringSql({ viewer, cloudIds: "all", now, until, limit: LIMIT }).sql), LIMIT + 1, "expiring, all clouds");
    assertBounded(await explain(expiringSql({ viewer, cloudIds: [cloudId], now, until, limit: LIMIT }).sql), LIMIT + 1, "expiring, one cloud");
  });

  test("the Clouds list counts credentials up to the cap, never the whole Cloud", async () => {
    const plan = await explain(cloudsSql({ limit: LIMIT, withCounts: true }, "all").sql);
    assertBounded(plan, CREDENTIAL_COUNT_CAP + 1, "clouds list counts");
    const projects = await explain(projectsSql({ limit: LIMIT }, "all").sql);
    assert.ok(nodes(projects).every((n) => !BIG_TABLES.has(n["Relation Name"] ?? "")), "the Projects list does not touch credentials");
  });

  test("the expiry sweeper finds due credentials through the live-by-expiry index", async () => {
    // Plain EXPLAIN: ANALYZE would run the sweep.
    const plan = await explain(sweepSql(new Date(now.getTime() + 10 * 86_400_000), 2_000), false);
    assertBounded(plan, Infinity, "sweeper");
    assert.ok(nodes(plan).some((n) => n["Index Name"] === "cloud_credentials_live_expires_idx"), JSON.stringify(plan, null, 1));
  });
});
