import "server-only";
import { auditEntryData, recordAudit, type AuditRecord } from "@/lib/audit/service";
import type { Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { ConflictError, ValidationError } from "@/lib/errors";
import { assertExpiryInRange } from "./issue";
import { getCloudCredential, managedCredential, reloadCredential } from "./read";
import type { CredentialView } from "./row";
import { credentialDisplayNameSchema } from "./schema";
import { DISPLAY_NAME_MAX } from "@/lib/limits";

/**
 * A credential's life after issue and rotation: metadata edits (rename,
 * renew, shorten) and the expiry sweep. Rotation is rotate.ts, revocation
 * revoke.ts, the Test button validate.ts.
 */

/**
 * Renames a credential or moves its expiry: closer, or later (renew) up to
 * the one expiry rule (a year from now at most); the secret is not touched.
 * A revoked or expired credential keeps its expiry: its material is gone or
 * going, and renewing it would promise something the engine no longer holds.
 */
export async function updateCredentialMetadata(
  actor: Actor,
  credentialId: string,
  patch: CredentialPatch,
  now = new Date(),
): Promise<CredentialView> {
  return (await authorizeEdit(actor, credentialId)).update(patch, now);
}

/** Proof that the actor may edit one credential's metadata; the only way to reach `update`. */
export interface CredentialEditor {
  readonly credentialId: string;
  update(patch: CredentialPatch, now?: Date): Promise<CredentialView>;
}

export interface CredentialPatch {
  displayName?: string;
  expiresAt?: Date;
}

export async function authorizeEdit(actor: Actor, credentialId: string): Promise<CredentialEditor> {
  const owner = await managedCredential(actor, credentialId);
  return { credentialId: owner.id, update: (patch, now = new Date()) => update(actor, owner, patch, now) };
}

async function update(actor: Actor, owner: { id: string; cloudId: string }, patch: CredentialPatch, now: Date): Promise<CredentialView> {
  const credentialId = owner.id;
  const current = await getCloudCredential(actor, credentialId);
  const checked = patch.displayName === undefined ? undefined : credentialDisplayNameSchema.safeParse(patch.displayName);
  if (checked && !checked.success) {
    throw new ValidationError("invalid_display_name", `The display name must be 1–${DISPLAY_NAME_MAX} printable characters.`, {
      display_name: checked.error.issues[0]?.message ?? "Enter a display name.",
    });
  }
  const displayName = checked?.data;
  if (displayName === undefined && !patch.expiresAt) throw new ValidationError("empty_patch", "Change the name or the expiry.");
  if (patch.expiresAt) assertExpiryInRange(patch.expiresAt, now);
  const moveExpiry = patch.expiresAt && patch.expiresAt.getTime() !== current.expiresAt.getTime() ? patch.expiresAt : undefined;
  await db().$transaction(async (tx) => {
    if (moveExpiry) {
      // The guard is in the write, so a revoke or the expiry sweep that lands first wins.
      const { count } = await tx.cloudCredential.updateMany({
        where: { id: credentialId, revokedAt: null, expiredAt: null, expiresAt: { gt: now } },
        data: { expiresAt: moveExpiry, updatedAt: now },
      });
      if (count === 0)
        throw stateConflict(await tx.cloudCredential.findUniqueOrThrow({ where: { id: credentialId }, select: { revokedAt: true } }));
      await recordExpiryChange(actor, current, moveExpiry, tx);
    }
    if (displayName !== undefined) {
      await tx.cloudCredential.update({ where: { id: credentialId }, data: { displayName, updatedAt: now } });
      await recordAudit(
        {
          actorId: actor.id,
          action: "credential.update",
          target: { type: "cloud_credential", id: credentialId },
          cloudId: owner.cloudId,
          outcome: "succeeded",
        },
        tx,
      );
    }
  });
  return reloadCredential(credentialId);
}

function stateConflict(current: { revokedAt: Date | null }): ConflictError {
  return current.revokedAt
    ? new ConflictError("credential_revoked", "A revoked credential keeps its expiry.")
    : new ConflictError("credential_expired", "An expired credential cannot be renewed; issue a new one.");
}

/** `credential.renewed` when the expiry moves later, `credential.expiry_shortened` when closer; old → new, no secret. */
export async function recordExpiryChange(
  actor: Actor,
  credential: CredentialView,
  expiresAt: Date,
  client?: Parameters<typeof recordAudit>[1],
): Promise<void> {
  await recordAudit(
    {
      actorId: actor.id,
      action: expiresAt > credential.expiresAt ? "credential.renewed" : "credential.expiry_shortened",
      target: { type: "cloud_credential", id: credential.id },
      cloudId: credential.cloudId,
      outcome: "succeeded",
      reason: `expiry ${credential.expiresAt.toISOString()} → ${expiresAt.toISOString()}`,
    },
    client,
  );
}

/** How many credentials one sweep statement stamps; a larger backlog takes more statements in the same tick. */
const SWEEP_BATCH = 2_000;
const SWEEP_MAX_BATCHES = 50;

/**
 * Stamps expired_at on every credential whose expiry has passed, once, and
 * records it. The same statement revokes its live assignments and owes the
 * engine a soft delete of its secret: an expired credential can be neither
 * extended nor rotated, so its material is dead like a revoked one's (soft
 * delete keeps it recoverable in the engine by an operator).
 *
 * One set-based statement per batch (data-modifying CTEs) and, in the same
 * transaction, the audit entries for what it changed (written from here,
 * where their MACs are computed: lib/audit/mac.ts). The credential rows are
 * locked first, then their assignments, the order a revoke and an approval
 * lock in too. A credential
 * a revoke holds right now is skipped (SKIP LOCKED) and taken on the next
 * tick if it is still live. Runs on a timer in the server (lib/boot.ts);
 * `now` is a parameter so tests inject time instead of waiting for it.
 */
export async function sweepExpiredCredentials(now = new Date()): Promise<string[]> {
  const stamped: string[] = [];
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
    const due = await db().$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<SweptRow[]>(sweepSql(now, SWEEP_BATCH));
        const entries = await Promise.all(rows.map((row) => auditEntryData(sweepAudit(row))));
        if (entries.length > 0) await tx.$executeRaw(insertSweepAudit(entries));
        return rows.filter((row) => row.kind === "credential").map((row) => row.id);
      },
      // A full batch is two statements of a few thousand rows; on a loaded host that can outlast Prisma's 5 s default.
      { timeout: 60_000 },
    );
    stamped.push(...due);
    if (due.length < SWEEP_BATCH) break;
  }
  return stamped;
}

interface SweptRow {
  kind: "credential" | "assignment";
  id: string;
  cloud_id: string;
  correlation_id: string;
  project_id: string | null;
  credential_id: string | null;
}

/** A batch's entries as one statement: one array per column, not a dozen parameters per row. */
function insertSweepAudit(entries: Awaited<ReturnType<typeof auditEntryData>>[]): Prisma.Sql {
  const column = <K extends keyof (typeof entries)[number]>(key: K) => entries.map((e) => e[key]);
  return Prisma.sql`
    INSERT INTO audit_entries (id, at, actor_id, action, target_type, target_id, cloud_id, outcome, reason, correlation_id, repeat_count, mac)
    SELECT * FROM unnest(${column("id")}::uuid[], ${entries.map((e) => e.at.toISOString())}::timestamptz[], ${column("actorId")}::uuid[],
    ${column("action")}::text[],
                         ${column("targetType")}::text[], ${column("targetId")}::text[], ${column("cloudId")}::uuid[], ${column("outcome")}::text[],
                         ${column("reason")}::text[], ${column("correlationId")}::text[], ${column("repeatCount")}::int[], ${column("mac")}::text[])`;
}

/** One expired credential, or one of its assignments revoked with it; both share the credential's correlation id. */
function sweepAudit(row: SweptRow): AuditRecord {
  const common = { actorId: null, cloudId: row.cloud_id, outcome: "succeeded" as const, correlationId: row.correlation_id };
  return row.kind === "credential"
    ? { ...common, action: "credential.expire", target: { type: "cloud_credential", id: row.id }, reason: "expiry passed" }
    : {
        ...common,
        action: "assignment.revoke",
        target: { type: "credential_assignment", id: row.id },
        reason: `project=${row.project_id} credential=${row.credential_id}: credential expired`,
      };
}

/** The sweep's one statement, exported for the plan test (lib/lists/plans.test.ts). */
export function sweepSql(now: Date, batch: number): Prisma.Sql {
  return Prisma.sql`
    WITH due AS (
      UPDATE cloud_credentials c SET expired_at = ${now}, updated_at = ${now}
      -- An array of ids, so each is found through the primary key, whatever the planner guesses about the batch's size.
      WHERE c.id = ANY(ARRAY(
          SELECT id FROM cloud_credentials
          WHERE expires_at <= ${now} AND revoked_at IS NULL AND expired_at IS NULL
          ORDER BY expires_at, id
          LIMIT ${batch}
          FOR UPDATE SKIP LOCKED))
        AND c.revoked_at IS NULL AND c.expired_at IS NULL
      RETURNING c.id, c.cloud_id, gen_random_uuid()::text AS correlation_id
    ),
    revoked AS (
      UPDATE credential_assignments a
      SET state = 'revoked', decided_by_id = NULL, decided_at = ${now}, reason = 'credential expired', updated_at = ${now}
      FROM due
      WHERE a.cloud_credential_id = due.id AND a.state IN ('requested', 'approved')
      RETURNING a.id, a.project_id, due.id AS credential_id, due.cloud_id, due.correlation_id
    ),
    owed AS (
      INSERT INTO secret_revocations (credential_id, cause)
      SELECT id, 'expiry' FROM due
      ON CONFLICT (credential_id) DO UPDATE
        SET cause = EXCLUDED.cause, generation = secret_revocations.generation + 1, requested_at = now(),
            completed_at = NULL, claimed_until = NULL
    )
    SELECT 'credential' AS kind, id::text AS id, cloud_id::text AS cloud_id, correlation_id, NULL::text AS project_id, NULL::text AS credential_id FROM due
    UNION ALL
    SELECT 'assignment', id::text, cloud_id::text, correlation_id, project_id::text, credential_id::text FROM revoked`;
}

/** Days until expiry, rounded up, for "expires in N days"; 0 once it has passed. */
export function daysUntil(expiresAt: Date, now = new Date()): number {
  return Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / 86_400_000));
}
