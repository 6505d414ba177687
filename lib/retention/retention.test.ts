import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { recordAudit } from "@/lib/audit/service";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { DEVICE_CODE_RETENTION_HOURS, runPurges, SESSION_RETENTION_DAYS } from "./service";

/**
 * Test files share one database, so the purges run at an instant in 2001
 * and every row here lives around it: nothing another file writes is old
 * enough to be purged at that instant, and the reports count only ours.
 */
const NOW = new Date("2001-06-01T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("purges of dead rows", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("sessions ended or unseen for longer than the retention go; live and recently ended ones stay", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const retention = SESSION_RETENTION_DAYS * DAY;
    const session = async (name: string, times: { createdAt: Date; lastSeenAt: Date | null; revokedAt?: Date }) => {
      const id = randomUUID();
      await db.session.create({ data: { id, userId: user.id, userAgent: name, ...times } });
      return id;
    };
    const gone = [
      await session("ended long ago", {
        createdAt: ago(retention + 9 * DAY),
        lastSeenAt: ago(retention + 2 * DAY),
        revokedAt: ago(retention + MINUTE),
      }),
      await session("unseen for too long", { createdAt: ago(retention + 9 * DAY), lastSeenAt: ago(retention + MINUTE) }),
      await session("never seen, begun long ago", { createdAt: ago(retention + MINUTE), lastSeenAt: null }),
    ];
    const kept = [
      await session("ended recently", {
        createdAt: ago(2 * retention),
        lastSeenAt: ago(retention - HOUR),
        revokedAt: ago(retention - MINUTE),
      }),
      await session("old but in use", { createdAt: ago(3 * retention), lastSeenAt: ago(HOUR) }),
    ];
    await recordAudit({ actorId: user.id, action: "auth.sign_out", target: { type: "session", id: gone[0] }, outcome: "succeeded" });

    const report = await runPurges(NOW);
    assert.equal(report.sessions, gone.length);
    const left = await db.session.findMany({ where: { userId: user.id }, select: { id: true } });
    assert.deepEqual(left.map((s) => s.id).sort(), [...kept].sort());
    assert.equal(
      await db.auditEntry.count({ where: { targetType: "session", targetId: gone[0] } }),
      1,
      "the trail keeps what the session did",
    );
  });

  test("device codes go a day after they expired, in batches; pending and recently expired ones stay", async () => {
    const db = await testDatabase();
    const person = await createTestUser();
    const code = async (expiresAt: Date, extra: { status?: string; userId?: string } = {}) => {
      const id = randomUUID();
      await db.deviceCode.create({
        data: {
          id,
          deviceCodeDigest: randomUUID(),
          userCodeDigest: randomUUID(),
          clientLabel: "plexctl",
          intervalSeconds: 5,
          createdAt: new Date(expiresAt.getTime() - 10 * MINUTE),
          expiresAt,
          ...extra,
        },
      });
      return id;
    };
    const retention = DEVICE_CODE_RETENTION_HOURS * HOUR;
    const gone = [
      await code(ago(retention + MINUTE), { status: "consumed", userId: person.id }),
      await code(ago(retention + DAY), { status: "denied", userId: person.id }),
    ];
    for (let i = 0; i < 7; i++) gone.push(await code(ago(retention + i * HOUR + MINUTE)));
    const kept = [await code(ago(retention - MINUTE)), await code(ago(MINUTE)), await code(new Date(NOW.getTime() + 5 * MINUTE))];

    // Batches of 3: nine dead codes take three full batches and an empty one, all in one pass.
    const report = await runPurges(NOW, 3);
    assert.equal(report.deviceCodes, gone.length);
    assert.equal(await db.deviceCode.count({ where: { id: { in: gone } } }), 0);
    assert.equal(await db.deviceCode.count({ where: { id: { in: kept } } }), kept.length);
    assert.equal((await runPurges(NOW, 3)).deviceCodes, 0, "a second pass finds nothing");
  });

  test("set-password links go once expired, used or not; live ones stay", async () => {
    const db = await testDatabase();
    const user = await createTestUser();
    const link = async (expiresAt: Date, usedAt: Date | null = null) => {
      const id = randomUUID();
      await db.passwordSetupToken.create({
        data: { id, userId: user.id, tokenDigest: randomUUID(), createdAt: new Date(expiresAt.getTime() - DAY), expiresAt, usedAt },
      });
      return id;
    };
    const gone = [await link(ago(MINUTE)), await link(ago(DAY), ago(2 * DAY))];
    const kept = [await link(new Date(NOW.getTime() + HOUR)), await link(new Date(NOW.getTime() + HOUR), ago(MINUTE))];
    const report = await runPurges(NOW);
    assert.equal(report.passwordSetupTokens, gone.length);
    const left = await db.passwordSetupToken.findMany({ where: { userId: user.id }, select: { id: true } });
    assert.deepEqual(left.map((t) => t.id).sort(), [...kept].sort());
  });
});
