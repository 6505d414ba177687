import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { verifyAuditTrail } from "./verify";

describe("verifying the audit trail", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("platform admins only, before the Domain id or the bounds are looked at; the refusal is recorded", async () => {
    const db = await testDatabase();
    const viewer = await createTestUser();
    let boundsRead = false;
    const readBounds = async () => {
      boundsRead = true;
      return {};
    };
    await assert.rejects(verifyAuditTrail(viewer, DEFAULT_DOMAIN_ID, readBounds), { code: "permission_denied" });
    await assert.rejects(verifyAuditTrail(viewer, "00000000-0000-7000-8000-0000000000ff", readBounds), { code: "permission_denied" });
    assert.equal(boundsRead, false);
    assert.equal(await db.auditEntry.count({ where: { actorId: viewer.id, action: "audit.verify", outcome: "denied" } }), 2);
  });

  test("an admin gets the verdict for the one Domain, another Domain id is not found, and each run is itself recorded", async () => {
    const db = await testDatabase();
    const admin = await createTestUser({ platformAdmin: true });
    await assert.rejects(verifyAuditTrail(admin, "00000000-0000-7000-8000-0000000000ff"), { code: "domain_not_found" });
    const verdict = await verifyAuditTrail(admin, DEFAULT_DOMAIN_ID);
    assert.equal(verdict.ok, true);
    const entry = await db.auditEntry.findFirstOrThrow({ where: { actorId: admin.id, action: "audit.verify", outcome: "succeeded" } });
    assert.match(entry.reason ?? "", /^chain intact from seq 1 to \d+$/);
  });
});
