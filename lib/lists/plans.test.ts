import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SEAL_BATCH } from "@/lib/audit/chain";
import { visibleObjects } from "@/lib/authz/service";
import { cloudsSql, createCloud, CREDENTIAL_COUNT_CAP } from "@/lib/clouds/service";
import { cloudCredentialsSql, expiringSql, type CredentialCursor } from "@/lib/credentials/list";
import { sweepSql } from "@/lib/credentials/lifecycle";
import { purgeStatements } from "@/lib/retention/service";
import { Prisma } from "@/lib/db/generated/client.ts";
import { projectMembersSql, type MemberCursor } from "@/lib/projects/members";
import { createProject, projectsSql } from "@/lib/projects/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { FAR_FUTURE, seedCredentials, seedGroupObservingAll, seedProjectMembers } from "@/testing/seed-bulk";

/**
 * Every list a page or the sweeper runs, EXPLAINed against a Cloud with
 * 20,000 credentials (seeded in one SQL statement): the plan reads the big
 * tables through an index, never a sequential scan, and the scan reads no
 * more rows than the page returns plus one.
 */
const ROWS = 20_000;
const LIMIT = 50;
const BIG_TABLES = new Set([
  "audit_entries",
  "cloud_credentials",
  "secret_revocations",
  "relation_tuples",
  "sessions",
  "device_codes",
  "password_setup_tokens",
]);

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

type Queryable = Pick<Awaited<ReturnType<typeof testDatabase>>, "$queryRawUnsafe">;

async function explain(query: Prisma.Sql, analyze = true, client?: Queryable): Promise<PlanNode> {
  const db = client ?? (await testDatabase());
  const rows = await db.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(
    `EXPLAIN (${analyze ? "ANALYZE, " : ""}FORMAT JSON) ${query.text}`,
    ...query.values,
  );
  const raw = rows[0]["QUERY PLAN"];
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return parsed[0].Plan;
}

/** Asserts the plan touches the big tables only through indexes, each scan reading at most `bound` rows per loop. */
function assertBounded(plan: PlanNode, bound: number, label: string) {
  const scans = nodes(plan).filter((n) => n["Relation Name"] && BIG_TABLES.has(n["Relation Name"]));
  assert.ok(scans.length > 0, `${label}: the plan reads a big table`);
  for (const scan of scans) {
    assert.ok(
      !/Seq Scan/.test(scan["Node Type"]),
      `${label}: ${scan["Node Type"]} on ${scan["Relation Name"]}\n${JSON.stringify(plan, null, 1)}`,
    );
    if (scan["Actual Rows"] === undefined) continue;
    const read = scan["Actual Rows"] + (scan["Rows Removed by Filter"] ?? 0) + (scan["Rows Removed by Index Recheck"] ?? 0);
    assert.ok(
      read <= bound,
      `${label}: ${scan["Node Type"]} on ${scan["Relation Name"]} (${scan["Index Name"] ?? "-"}) read ${read} rows per loop, more than ${bound}`,
    );
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
    const big = await createCloud(operator, {
      display_name: "Big",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    const small = await createCloud(operator, {
      display_name: "Small",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    cloudId = big.id;
    await seedCredentials(db, small.id, operator.id, 500, now);
    await seedCredentials(db, big.id, operator.id, ROWS, now);
    // Relation tuples at scale too, as a console with many people has them: the permission
    // column of Expiring soon must read them through an index, which a tiny table never shows.
    const crowded = await createProject(operator, { name: "Crowded", slug: uniqueSlug("crowded") });
    await seedProjectMembers(db, crowded.id, uniqueSlug("crowded"), ROWS);
    // Revoked and expired credentials owe (or owed) the engine a deletion, as they do in production.
    await db.$executeRaw`
      INSERT INTO secret_revocations (credential_id, cause, completed_at)
      SELECT id, CASE WHEN revoked_at IS NOT NULL THEN 'revoke' ELSE 'expiry' END, now()
      FROM cloud_credentials WHERE revoked_at IS NOT NULL OR expired_at IS NOT NULL
      ON CONFLICT DO NOTHING`;
    await db.$executeRawUnsafe("ANALYZE");
    const [row] = await db.$queryRaw<{ createdAt: Date; id: string }[]>`
      SELECT created_at AS "createdAt", id::text AS id FROM cloud_credentials WHERE cloud_id = ${cloudId}::uuid ORDER BY created_at DESC, id DESC
      OFFSET ${ROWS / 2} LIMIT 1`;
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
    assertBounded(
      await explain(expiringSql({ viewer, clouds: { kind: "all" }, now, until, limit: LIMIT }).sql),
      LIMIT + 1,
      "expiring, all clouds",
    );
    const one = { ids: Prisma.sql`SELECT ${cloudId}::uuid`, where: (column: Prisma.Sql) => Prisma.sql`${column} = ${cloudId}::uuid` };
    assertBounded(
      await explain(expiringSql({ viewer, clouds: { kind: "few", ...one }, now, until, limit: LIMIT }).sql),
      LIMIT + 1,
      "expiring, a few clouds",
    );
    assertBounded(
      await explain(expiringSql({ viewer, clouds: { kind: "many", ...one }, now, until, limit: LIMIT }).sql),
      Infinity,
      "expiring, many clouds",
    );
  });

  test("the Clouds list counts credentials up to the cap, never the whole Cloud", async () => {
    const plan = await explain(cloudsSql({ limit: LIMIT, withCounts: true }, { kind: "all" }).sql);
    assertBounded(plan, CREDENTIAL_COUNT_CAP + 1, "clouds list counts");
    const projects = await explain(projectsSql({ limit: LIMIT }, { kind: "all" }).sql);
    assert.ok(
      nodes(projects).every((n) => !BIG_TABLES.has(n["Relation Name"] ?? "")),
      "the Projects list does not touch credentials",
    );
  });

  test("the Clouds and Projects lists of a member whose group observes thousands: the list's own index, a probe per row", async () => {
    const db = await testDatabase();
    const operator = await createTestUser({ platformAdmin: true });
    const member = await createTestUser({ label: "member" });
    const tag = uniqueSlug("plan-group");
    await seedGroupObservingAll(db, { tag, count: ROWS / 4, createdById: operator.id, memberId: member.id });
    const clouds = await visibleObjects(member, "observe", "cloud");
    const projects = await visibleObjects(member, "observe", "project");
    assert.equal(clouds.kind, "many");
    assert.equal(projects.kind, "many");
    // The list walks its own slug index (other tests' rows sort among these and are skipped), each row
    // one exact probe into the tuples: never a scan of every tuple the member holds.
    for (const [label, plan, table] of [
      ["clouds list, group member", await explain(cloudsSql({ limit: LIMIT, withCounts: true }, clouds).sql), "clouds"],
      ["projects list, group member", await explain(projectsSql({ limit: LIMIT }, projects).sql), "projects"],
    ] as const) {
      assertBounded(plan, CREDENTIAL_COUNT_CAP + 1, label);
      const list = nodes(plan).find((n) => n["Relation Name"] === table);
      assert.ok(
        list && /Index/.test(list["Node Type"]) && (list["Actual Rows"] ?? Infinity) <= LIMIT + 1,
        `${label}: ${JSON.stringify(plan, null, 1)}`,
      );
      for (const scan of nodes(plan).filter((n) => n["Relation Name"] === "relation_tuples")) {
        assert.ok(
          (scan["Actual Rows"] ?? 0) + (scan["Rows Removed by Filter"] ?? 0) <= 1,
          `${label}: a tuple probe read more than one row: ${JSON.stringify(scan)}`,
        );
      }
    }
    const until = new Date(now.getTime() + 30 * 86_400_000);
    const expiring = await explain(expiringSql({ viewer: member, clouds, now, until, limit: LIMIT }).sql);
    assert.ok(
      nodes(expiring).every((n) => n["Node Type"] !== "Hash" || !nodes(n).some((m) => m["Relation Name"] === "relation_tuples")),
      "no hash of the member's tuples",
    );
  });

  test("a Project's members at 20,000: first, next and previous pages through the (object, created_at, id) index", async () => {
    const db = await testDatabase();
    const operator = await createTestUser({ platformAdmin: true });
    const big = await createProject(operator, { name: "Big", slug: uniqueSlug("members") });
    const small = await createProject(operator, { name: "Small", slug: uniqueSlug("members") });
    await seedProjectMembers(db, small.id, uniqueSlug("small"), 500);
    await seedProjectMembers(db, big.id, uniqueSlug("big"), ROWS);
    const [row] = await db.$queryRaw<{ createdAt: Date; id: string }[]>`
      SELECT created_at AS "createdAt", id::text AS id FROM relation_tuples WHERE object_type = 'project' AND object_id = ${big.id}
      ORDER BY created_at, id OFFSET ${ROWS / 2} LIMIT 1`;
    const halfway: MemberCursor = { createdAt: row.createdAt.toISOString(), id: row.id };
    const cases: [string, Parameters<typeof projectMembersSql>[0]][] = [
      ["first page", { projectId: big.id, limit: LIMIT }],
      ["next page", { projectId: big.id, limit: LIMIT, after: halfway }],
      ["previous page", { projectId: big.id, limit: LIMIT, before: halfway }],
      ["/v1 at its largest", { projectId: big.id, limit: 200, after: halfway }],
    ];
    for (const [label, query] of cases) {
      const plan = await explain(projectMembersSql(query).sql);
      assertBounded(plan, query.limit + 1, `members, ${label}`);
      assert.ok(
        nodes(plan).some((n) => n["Index Name"] === "relation_tuples_object_type_object_id_created_at_id_idx"),
        `${label}: ${JSON.stringify(plan, null, 1)}`,
      );
    }
  });

  test("the audit sealer reads one batch of unsealed entries, through their own index, however long the backlog or the sealed trail", async () => {
    const db = await testDatabase();
    const rolledBack = new Error("rolled back on purpose");
    // In a transaction that is rolled back: made-up entries must never meet the real chain other tests verify.
    await db
      .$transaction(
        async (tx) => {
          const marker = `plan-test ${randomUUID()}`;
          // A sealed trail of ROWS entries and, after them, a backlog of as many unsealed ones (the sealer was down).
          await tx.$executeRaw`
          INSERT INTO audit_entries (id, at, action, target_type, target_id, outcome, correlation_id, repeat_count)
          SELECT gen_random_uuid(), now() - interval '1 day' + n * interval '1 ms', 'credential.issue', 'cloud_credential', ${marker},
                 'succeeded', gen_random_uuid()::text, 1
            FROM generate_series(1, ${2 * ROWS}) AS n`;
          // Sealed the one way the database allows: seq and hashes set once on an unsealed entry.
          await tx.$executeRaw`
          UPDATE audit_entries SET seq = 9000000000000000 + s.n, prev_hash = repeat('0', 64), hash = repeat('0', 64)
            FROM (SELECT id, row_number() OVER (ORDER BY at, id) AS n FROM audit_entries WHERE target_id = ${marker}) AS s
           WHERE audit_entries.id = s.id AND s.n <= ${ROWS}`;
          await tx.$executeRawUnsafe("ANALYZE audit_entries");
          // The query sealBatch's findMany sends (lib/audit/chain.ts): the oldest unsealed entries, a batch at a time.
          const plan = await explain(
            Prisma.sql`SELECT id FROM audit_entries WHERE seq IS NULL ORDER BY at ASC, id ASC LIMIT ${SEAL_BATCH}`,
            true,
            tx,
          );
          assertBounded(plan, SEAL_BATCH + 1, "audit sealer's pending entries");
          assert.ok(
            nodes(plan).some((n) => n["Index Name"] === "audit_entries_unsealed_idx"),
            JSON.stringify(plan, null, 1),
          );
          throw rolledBack;
        },
        { timeout: 60_000 },
      )
      .catch((error: unknown) => {
        if (error !== rolledBack) throw error;
      });
  });

  test("the expiry sweeper finds due credentials through the live-by-expiry index", async () => {
    // Plain EXPLAIN: ANALYZE would run the sweep.
    const plan = await explain(sweepSql(new Date(now.getTime() + 10 * 86_400_000), 2_000), false);
    assertBounded(plan, Infinity, "sweeper");
    assert.ok(
      nodes(plan).some((n) => n["Index Name"] === "cloud_credentials_live_expires_idx"),
      JSON.stringify(plan, null, 1),
    );
  });

  test("the purges find their batch through an index on what they compare, at 20,000 rows each", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    // One row in a hundred is due at FAR_FUTURE; the rest are alive then.
    await db.$executeRaw`
      INSERT INTO sessions (id, user_id, created_at, last_seen_at, revoked_at)
      SELECT gen_random_uuid(), ${user.id}::uuid, ${FAR_FUTURE}::timestamptz - interval '90 days', last_alive, CASE WHEN n % 3 = 0 THEN last_alive END
      FROM generate_series(1, ${ROWS}::int) AS n,
           LATERAL (SELECT ${FAR_FUTURE}::timestamptz - CASE WHEN n % 100 = 0 THEN interval '60 days' ELSE (n % 29) * interval '1 day' END AS last_alive) l`;
    await db.$executeRaw`
      INSERT INTO device_codes (id, device_code_digest, user_code_digest, client_label, interval_seconds, created_at, expires_at)
      SELECT gen_random_uuid(), gen_random_uuid()::text, gen_random_uuid()::text, 'bulk', 5, ${FAR_FUTURE}::timestamptz,
      ${FAR_FUTURE}::timestamptz + (n - ${ROWS / 100}::int) * interval '1 hour'
      FROM generate_series(1, ${ROWS}::int) AS n`;
    await db.$executeRaw`
      INSERT INTO password_setup_tokens (id, user_id, token_digest, created_at, expires_at)
      SELECT gen_random_uuid(), ${user.id}::uuid, gen_random_uuid()::text, ${FAR_FUTURE}::timestamptz, ${FAR_FUTURE}::timestamptz + (n -
      ${ROWS / 100}::int) * interval '1 minute'
      FROM generate_series(1, ${ROWS}::int) AS n`;
    await db.$executeRawUnsafe("ANALYZE sessions, device_codes, password_setup_tokens");
    const cases: [string, Prisma.Sql, string][] = [
      ["sessions", purgeStatements.sessions(FAR_FUTURE), "sessions_last_alive_idx"],
      ["device codes", purgeStatements.deviceCodes(FAR_FUTURE), "device_codes_expires_at_idx"],
      ["set-password links", purgeStatements.passwordSetupTokens(FAR_FUTURE), "password_setup_tokens_expires_at_idx"],
    ];
    for (const [label, statement, index] of cases) {
      // Plain EXPLAIN: ANALYZE would purge.
      const plan = await explain(statement, false);
      assertBounded(plan, Infinity, `purge of ${label}`);
      assert.ok(
        nodes(plan).some((n) => n["Index Name"] === index),
        `${label}: ${JSON.stringify(plan, null, 1)}`,
      );
    }
  });
});
