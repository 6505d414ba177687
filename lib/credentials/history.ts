import "server-only";
import { auditText } from "@/lib/audit/entry";
import type { Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { getCloudCredential } from "./read";

/** What the credential page shows of a credential's past: versions and expiry moves, who and when; never material. */
export interface CredentialHistoryEntry {
  at: Date;
  event: "issued" | "rotated" | "renewed" | "expiry shortened" | "revoked" | "expired";
  /** The version current after this event. */
  version: number | null;
  actorEmail: string | null;
  detail: string | null;
}

const EVENTS: Record<string, CredentialHistoryEntry["event"]> = {
  "credential.issue": "issued",
  "credential.rotate": "rotated",
  "credential.renewed": "renewed",
  "credential.expiry_shortened": "expiry shortened",
  "credential.revoke": "revoked",
  "credential.expire": "expired",
};

const HISTORY_LIMIT = 100;

/**
 * A credential's version history, read from the audit trail (the trail
 * already records each issue and rotation with its actor), newest first and
 * bounded; plus the revoke reason once revoked. Needs `observe` on the Cloud.
 */
export async function credentialHistory(
  actor: Actor,
  credentialId: string,
): Promise<{ revokeReason: string | null; entries: CredentialHistoryEntry[] }> {
  const credential = await getCloudCredential(actor, credentialId);
  const [row, audit] = await Promise.all([
    db().cloudCredential.findUniqueOrThrow({ where: { id: credential.id }, select: { revokeReason: true } }),
    db().auditEntry.findMany({
      where: { targetType: "cloud_credential", targetId: credential.id, outcome: "succeeded", action: { in: Object.keys(EVENTS) } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: HISTORY_LIMIT,
      select: { at: true, action: true, actorId: true, reason: true },
    }),
  ]);
  const actorIds = [...new Set(audit.map((e) => e.actorId).filter((id): id is string => id !== null))];
  const emails = new Map(
    (await db().user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
  );
  const entries = audit.map((e) => {
    const event = EVENTS[e.action];
    const rotatedTo = event === "rotated" ? /→ (\d+)/.exec(e.reason ?? "")?.[1] : undefined;
    return {
      at: e.at,
      event,
      version: event === "issued" ? 1 : rotatedTo ? Number(rotatedTo) : null,
      actorEmail: e.actorId ? (emails.get(e.actorId) ?? null) : null,
      detail: event === "renewed" || event === "expiry shortened" || event === "revoked" ? (e.reason ? auditText(e.reason) : null) : null,
    };
  });
  return { revokeReason: row.revokeReason, entries };
}
