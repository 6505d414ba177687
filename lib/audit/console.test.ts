import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { authorize } from "@/lib/authz/service";
import { createCloud } from "@/lib/clouds/service";
import { authorizeIssue } from "@/lib/credentials/issue";
import { EmbeddedSecretStore } from "@/lib/vault/embedded";
import { countCanary } from "@/testing/canary";
import { closeTestDatabase, createTestUser, testDatabase, testDatabaseUrl, uniqueSlug } from "@/testing/database";
import { auditActionLabel } from "./action-names";
import { auditExportStream, csvCell } from "./export";
import { auditEntryData, deny, listAuditEntries } from "./service";

const cloudInput = (name: string) => ({
  display_name: name,
  slug: uniqueSlug(),
  provider: "aws" as const,
  external_id: randomUUID(),
  endpoint: {},
  region_defaults: {},
});
const readAll = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe("the audit page's list and export", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("entries name their actor, target and Cloud; pages go forward and back; denials can be hidden", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const outsider = await createTestUser();
    const cloud = await createCloud(admin, cloudInput("Named cloud"));
    const store = new EmbeddedSecretStore(await testDatabase(), randomBytes(32));
    const credential = await (await authorizeIssue(admin, cloud.id, { store })).issue({
      displayName: "named-credential",
      payload: new TextEncoder().encode("p"),
      keyValues: {},
      allowUnusualShape: true,
    });
    await authorize(outsider, "manage", { cloud: cloud.id }).catch(() => {});

    const all = await listAuditEntries(admin, { cloudId: cloud.id }, { limit: 50 });
    assert.deepEqual(
      all.items.map((e) => e.action),
      ["cloud#manage", "credential.issue", "relation.grant", "cloud.create"],
    );
    const issue = all.items[1];
    assert.deepEqual([issue.actorEmail, issue.targetName, issue.cloudName], [admin.email, "named-credential", "Named cloud"]);
    assert.equal(issue.targetId, credential.id);
    assert.equal(all.items[0].actorEmail, outsider.email);
    assert.equal(auditActionLabel(issue.action), "Credential issued");
    assert.equal(auditActionLabel("something.new"), "something.new");
    assert.equal(all.next, undefined);
    assert.equal(all.prev, undefined);

    const p1 = await listAuditEntries(admin, { cloudId: cloud.id }, { limit: 2 });
    assert.equal(p1.prev, undefined, "the newest page has no newer one");
    const p2 = await listAuditEntries(admin, { cloudId: cloud.id }, { limit: 2, before: p1.next });
    assert.equal(p2.next, undefined);
    assert.deepEqual(
      [...p1.items, ...p2.items].map((e) => e.id),
      all.items.map((e) => e.id),
    );
    const back = await listAuditEntries(admin, { cloudId: cloud.id }, { limit: 2, after: p2.prev });
    assert.deepEqual(
      back.items.map((e) => e.id),
      p1.items.map((e) => e.id),
      "previous from page 2 is page 1, newest first",
    );
    assert.equal(back.prev, undefined);
    assert.ok(back.next);

    const hidden = await listAuditEntries(admin, { cloudId: cloud.id, hideDenials: true }, { limit: 50 });
    assert.deepEqual(
      hidden.items.map((e) => e.action),
      ["credential.issue", "relation.grant", "cloud.create"],
    );
  });

  test("a page is at most its limit however long the trail", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const caller = await createTestUser();
    for (let i = 0; i < 60; i++) await deny(caller.id, "token.issue", { type: "identity", id: `user:${i}` });
    const page = await listAuditEntries(admin, { actorId: caller.id }, { limit: 50 });
    assert.equal(page.items.length, 50);
    assert.ok(page.next);
    assert.equal((await listAuditEntries(admin, { actorId: caller.id }, { limit: 50, before: page.next })).items.length, 10);
  });

  test("the export streams every entry of the filter as CSV or JSON, formula cells defused, no secret", async () => {
    const admin = await createTestUser({ platformAdmin: true });
    const caller = await createTestUser();
    const canary = `canary-${randomBytes(8).toString("hex")}`;
    const cloud = await createCloud(admin, cloudInput("Export cloud"));
    const store = new EmbeddedSecretStore(await testDatabase(), randomBytes(32));
    await (await authorizeIssue(admin, cloud.id, { store })).issue({
      displayName: "exported",
      payload: new TextEncoder().encode(canary),
      keyValues: { k: canary },
      allowUnusualShape: true,
    });
    // More than one export batch (500), written directly: the flood control would fold denials this many.
    await (await testDatabase()).auditEntry.createMany({
      data: await Promise.all(
        Array.from({ length: 520 }, (_, i) =>
          auditEntryData({
            actorId: caller.id,
            action: "token.issue",
            target: { type: "identity", id: `user:${i}` },
            outcome: "denied",
            reason: i === 0 ? '=HYPERLINK("http://x")' : "no",
          }),
        ),
      ),
    });

    const csv = await readAll(auditExportStream(admin, { actorId: caller.id }, "csv"));
    const lines = csv.trimEnd().split("\r\n");
    assert.equal(lines[0].split(",")[0], "id");
    assert.equal(lines.length, 520 + 1);
    assert.ok(csv.includes(`"'=HYPERLINK(""http://x"")"`), "a formula cell is prefixed with ' and quoted");
    assert.ok(!/(^|,)=HYPERLINK/m.test(csv));

    const json = JSON.parse(await readAll(auditExportStream(admin, { cloudId: cloud.id }, "json")));
    assert.deepEqual(
      json.map((r: { action: string }) => r.action),
      ["credential.issue", "relation.grant", "cloud.create"],
    );
    assert.equal(json[0].target_name, "exported");
    assert.equal(json[0].action_label, "Credential issued");
    assert.equal(countCanary(JSON.stringify(json), canary), 0);
    assert.deepEqual(JSON.parse(await readAll(auditExportStream(admin, { cloudId: randomUUID() }, "json"))), []);

    await assert.rejects(readAll(auditExportStream(caller, {}, "csv")), { code: "permission_denied" });
    assert.equal(csvCell("-1"), "'-1");
    assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
    assert.equal(csvCell("+1"), "'+1");
    assert.equal(csvCell("a,b"), '"a,b"');
    assert.equal(csvCell(null), "");
  });

  test("each filter the page offers is an index range walked newest first: no rows read and thrown away, no sort", async () => {
    const client = new pg.Client({ connectionString: await testDatabaseUrl() });
    await client.connect();
    try {
      // A test table is tiny: told to avoid the plans that only pay off there, the planner shows which index it would walk.
      for (const setting of ["enable_seqscan", "enable_bitmapscan", "enable_sort"]) await client.query(`SET ${setting} = off`);
      const id = randomUUID();
      const plans: Record<string, string> = {
        action: `WHERE action = 'credential.issue'`,
        "cloud and action": `WHERE cloud_id = '${id}' AND action = 'credential.issue'`,
        "actor and action": `WHERE actor_id = '${id}' AND action = 'credential.issue'`,
        cloud: `WHERE cloud_id = '${id}'`,
        actor: `WHERE actor_id = '${id}'`,
      };
      for (const [name, where] of Object.entries(plans)) {
        const plan = (await client.query(`EXPLAIN SELECT * FROM audit_entries ${where} ORDER BY at DESC, id DESC LIMIT 51`)).rows
          .map((r) => Object.values(r)[0])
          .join("\n");
        assert.match(plan, /Index (Only )?Scan/, `${name}: ${plan}`);
        assert.doesNotMatch(plan, /Seq Scan|Filter:|Sort/, `${name}: every condition is an index condition, in order (${plan})`);
      }
    } finally {
      await client.end();
    }
  });
});
