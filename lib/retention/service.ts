import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";

/**
 * Rows that only ever grow and are dead after a while go, on a timer
 * (lib/boot.ts, every PURGE_INTERVAL_SECONDS), set-based: each purge is one
 * DELETE per batch of PURGE_BATCH rows, found through an index on the very
 * expression it compares (migration 20261203031000_purge_indexes), and
 * skipping rows another instance's purge holds (SKIP LOCKED), so several
 * instances purge side by side.
 *
 * What is kept, and for how long:
 * - console sessions: SESSION_RETENTION_DAYS after they ended (signed out,
 *   revoked), or after they were last seen. A session JWT lives eight hours
 *   and every console request bumps last_seen_at, so a session unseen for
 *   that long can name no live cookie; the days keep a session's device and
 *   address at hand for whoever looks into a sign-out or a revoke.
 * - device codes: DEVICE_CODE_RETENTION_HOURS after they expired (ten
 *   minutes after they were asked for), so a late poll still hears
 *   `expired_token` and the approval page still says "expired" rather than
 *   "no such code".
 * - set-password links: once expired. An expired or used link and a missing
 *   one are refused alike ("expired or used"), so nothing is lost.
 * - invitations are not purged: there is no status column to sweep; whether
 *   one is expired is computed from its expires_at when read (statusOf in
 *   lib/identity/invitations.ts), and the rows are the administrators'
 *   record of who was invited, listed and filtered by the Domain's
 *   invitations list.
 * The audit trail is never purged: what these rows did is recorded there.
 */
export const SESSION_RETENTION_DAYS = 30;
export const DEVICE_CODE_RETENTION_HOURS = 24;
export const PURGE_BATCH = 2_000;
/** At most this many batches per purge per tick; what is left goes at the next tick. */
const PURGE_MAX_BATCHES = 50;

export interface PurgeReport {
  sessions: number;
  deviceCodes: number;
  passwordSetupTokens: number;
}

/** A session's last sign of life: when it ended, else when it was last seen, else when it began. */
const SESSION_LAST_ALIVE = Prisma.sql`coalesce(revoked_at, last_seen_at, created_at)`;

/**
 * One batch of one purge: the ids as an array, so each row is deleted
 * through the primary key whatever the planner guesses about the batch's
 * size (as the expiry sweeper does, lib/credentials/lifecycle.ts).
 */
function purgeSql(table: "sessions" | "device_codes" | "password_setup_tokens", due: Prisma.Sql, batch: number): Prisma.Sql {
  const name = Prisma.raw(table);
  return Prisma.sql`
    DELETE FROM ${name}
    WHERE id = ANY(ARRAY(SELECT id FROM ${name} WHERE ${due} LIMIT ${batch} FOR UPDATE SKIP LOCKED))`;
}

/** The purges' statements, exported for the plan test (lib/lists/plans.test.ts). */
export const purgeStatements = {
  sessions: (now: Date, batch = PURGE_BATCH) =>
    purgeSql("sessions", Prisma.sql`${SESSION_LAST_ALIVE} < ${new Date(now.getTime() - SESSION_RETENTION_DAYS * 86_400_000)}`, batch),
  deviceCodes: (now: Date, batch = PURGE_BATCH) =>
    purgeSql("device_codes", Prisma.sql`expires_at < ${new Date(now.getTime() - DEVICE_CODE_RETENTION_HOURS * 3_600_000)}`, batch),
  passwordSetupTokens: (now: Date, batch = PURGE_BATCH) => purgeSql("password_setup_tokens", Prisma.sql`expires_at <= ${now}`, batch),
} satisfies Record<keyof PurgeReport, (now: Date, batch?: number) => Prisma.Sql>;

async function purge(statement: (now: Date, batch: number) => Prisma.Sql, now: Date, batch: number): Promise<number> {
  let deleted = 0;
  for (let round = 0; round < PURGE_MAX_BATCHES; round++) {
    const count = await db().$executeRaw(statement(now, batch));
    deleted += count;
    if (count < batch) break;
  }
  return deleted;
}

/** One pass of every purge; `now` and `batch` are parameters so tests inject time and see batching. */
export async function runPurges(now = new Date(), batch = PURGE_BATCH): Promise<PurgeReport> {
  return {
    sessions: await purge(purgeStatements.sessions, now, batch),
    deviceCodes: await purge(purgeStatements.deviceCodes, now, batch),
    passwordSetupTokens: await purge(purgeStatements.passwordSetupTokens, now, batch),
  };
}
