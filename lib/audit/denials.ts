import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { rateLimiter } from "@/lib/rate-limit";
import { auditEntryData, type AuditRecord } from "./entry";

/**
 * Flood control for denials, the one kind of entry a caller can cause at
 * will. Within a window, identical denials (same actor, action, target,
 * reason) are written as the 1st, 10th, 100th, ... occurrence, each entry
 * counting the ones since the previous (repeat_count), and one actor's
 * distinct denials beyond DISTINCT_PER_WINDOW are folded the same way into
 * `audit.denials_aggregated` entries. A flood of N denials costs about
 * log10(N) rows, and the counts still add up to what happened (up to the
 * last power of ten). The counters are rate-limiter-flexible's, in the
 * database, so they hold across instances.
 */
export const DENIAL_WINDOW_SECONDS = 60;
export const DISTINCT_PER_WINDOW = 100;

// A counter that never refuses: only its count in the window is used.
const COUNTER = { points: Number.MAX_SAFE_INTEGER, duration: DENIAL_WINDOW_SECONDS };

const isMark = (n: number) => /^10*$/.test(String(n));
const sinceLastMark = (n: number) => (n === 1 ? 1 : n - n / 10);
const keyOf = (...parts: (string | null | undefined)[]) => createHash("sha256").update(JSON.stringify(parts)).digest("base64url");

export async function recordDenial(entry: Omit<AuditRecord, "outcome" | "repeatCount">): Promise<void> {
  const actor = entry.actorId ?? "anonymous";
  const identical = await rateLimiter("audit:denial", COUNTER).consume(
    keyOf(actor, entry.action, entry.target.type, entry.target.id, entry.reason),
  );
  const n = identical.consumedPoints;
  if (n > 1) {
    if (isMark(n)) await write({ ...entry, outcome: "denied", repeatCount: sinceLastMark(n) });
    return;
  }
  const distinct = (await rateLimiter("audit:denial-actor", COUNTER).consume(keyOf(actor))).consumedPoints;
  if (distinct <= DISTINCT_PER_WINDOW) return write({ ...entry, outcome: "denied" });
  const over = distinct - DISTINCT_PER_WINDOW;
  if (isMark(over)) {
    await write({
      actorId: entry.actorId,
      action: "audit.denials_aggregated",
      target: { type: "actor", id: actor },
      outcome: "denied",
      reason: `more than ${DISTINCT_PER_WINDOW} different denials within ${DENIAL_WINDOW_SECONDS} s`,
      correlationId: entry.correlationId,
      repeatCount: sinceLastMark(over),
    });
  }
}

async function write(entry: AuditRecord): Promise<void> {
  await db().auditEntry.create({ data: await auditEntryData(entry) });
}
