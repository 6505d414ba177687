import { randomUUID } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type { AuditAction } from "./action-names";
import { auditMacKey, entryMac } from "./mac";

/** One audit entry as written; shared by the audit service and authorize() (which cannot import the service). */
export type AuditOutcome = "succeeded" | "denied" | "failed";

export interface AuditRecord {
  actorId: string | null;
  /** A name from the catalogue (lib/audit/action-names.ts): every action written has a label. */
  action: AuditAction;
  target: { type: string; id: string };
  cloudId?: string | null;
  outcome: AuditOutcome;
  reason?: string;
  correlationId?: string;
  /** How many identical decisions this entry stands for (see lib/audit/denials.ts); 1 when omitted. */
  repeatCount?: number;
}

/** The most characters of any one text field an entry keeps. */
export const AUDIT_TEXT_MAX = 512;
const ELLIPSIS = "…";

// Terminal escape sequences (CSI, OSC, and two-character ones), removed whole so no payload survives them.
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// Line breaks and tabs would split or align a forged line in a log view: they become spaces.
const BREAKS = /[\r\n\t\u0085\u2028\u2029]+/g;
// What is left of C0/C1, DEL, and the bidirectional and zero-width controls (RLO U+202E and kin) that make text read other than it is.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

// A lone UTF-16 surrogate: no character at all. Written to the database it becomes U+FFFD.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Attacker-chosen text (reasons, ids from paths, emails typed at sign-in)
 * as the trail keeps and shows it: no control characters, at most
 * AUDIT_TEXT_MAX characters, a cut marked with an ellipsis, and well-formed
 * Unicode. The last is what the database will hold (its drivers write a
 * lone surrogate as U+FFFD), so the MAC covers the text the sealer reads back.
 */
export function auditText(value: string): string {
  const clean = value.replace(LONE_SURROGATE, "\ufffd").replace(ANSI, "").replace(BREAKS, " ").replace(CONTROLS, "");
  const chars = Array.from(clean);
  return chars.length <= AUDIT_TEXT_MAX ? clean : chars.slice(0, AUDIT_TEXT_MAX - 1).join("") + ELLIPSIS;
}

/**
 * The row to insert for one entry, with its time and MAC set by the server
 * (lib/audit/mac.ts): the sealer chains only entries whose MAC matches.
 */
export async function auditEntryData(entry: AuditRecord, at = new Date()) {
  const fields = {
    id: uuidv7(),
    at,
    // uuid columns read back in lower case: MAC what the sealer will read, whatever case a caller sent.
    actorId: entry.actorId?.toLowerCase() ?? null,
    action: auditText(entry.action),
    targetType: auditText(entry.target.type),
    targetId: auditText(entry.target.id),
    cloudId: entry.cloudId?.toLowerCase() ?? null,
    outcome: entry.outcome,
    reason: entry.reason === undefined ? null : auditText(entry.reason),
    correlationId: auditText(entry.correlationId ?? randomUUID()),
    repeatCount: entry.repeatCount ?? 1,
  };
  return { ...fields, mac: entryMac(await auditMacKey(), fields) };
}
