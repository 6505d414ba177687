import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/auth/secret";

/**
 * Each audit entry carries an HMAC-SHA256 of its fields, computed by the
 * server when it inserts the entry, under a key derived (HKDF, its own
 * label) from the auth secret, which lives in the environment or the data
 * folder and never in the database. Insert access to the database alone
 * can therefore add rows, but not rows the sealer (lib/audit/chain.ts)
 * will place in the chain.
 *
 * Rows that existed when the `mac` column was added carry LEGACY_MAC (set
 * by that migration, which no INSERT may write): they were written by the
 * server before entries had MACs and are taken as they are.
 */
export const LEGACY_MAC = "pre-upgrade";

/** The fields an entry's MAC covers: everything it records, not its place in the chain (the sealer adds that later). */
export interface MacFields {
  id: string;
  at: Date;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  cloudId: string | null;
  outcome: string;
  reason: string | null;
  correlationId: string;
  repeatCount: number;
}

let cachedKey: Promise<Buffer> | undefined;

export function auditMacKey(): Promise<Buffer> {
  cachedKey ??= authSecret()
    .then(auditMacKeyFrom)
    .catch((error) => {
      // A failed read (the data folder) is tried again on the next entry, not remembered.
      cachedKey = undefined;
      throw error;
    });
  return cachedKey;
}

/** The MAC key for an auth secret: its own HKDF label, so it is no other key derived from the secret. */
export function auditMacKeyFrom(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "", "plexsphere audit entry mac v1", 32));
}

/**
 * Every recorded field of an entry, in the one fixed order both its MAC and
 * its chain hash (chain.ts) cover; each prefixes its own label, so neither
 * value can stand in for the other.
 */
export function recordedFields(entry: MacFields): unknown[] {
  return [
    entry.id,
    entry.at.toISOString(),
    entry.actorId,
    entry.action,
    entry.targetType,
    entry.targetId,
    entry.cloudId,
    entry.outcome,
    entry.reason,
    entry.correlationId,
    entry.repeatCount,
  ];
}

export function entryMac(key: Buffer, entry: MacFields): string {
  const bytes = JSON.stringify(["plexsphere.audit.mac.v1", ...recordedFields(entry)]);
  return createHmac("sha256", key).update(bytes, "utf8").digest("hex");
}

/** Whether the server wrote this entry as it is now: a MAC that matches, or a row from before MACs existed. */
export function hasValidMac(key: Buffer, entry: MacFields & { mac: string | null }): boolean {
  if (entry.mac === LEGACY_MAC) return true;
  if (entry.mac === null || !/^[0-9a-f]{64}$/.test(entry.mac)) return false;
  return timingSafeEqual(Buffer.from(entry.mac, "hex"), Buffer.from(entryMac(key, entry), "hex"));
}
