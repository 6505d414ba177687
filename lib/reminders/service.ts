import "server-only";
import nodemailer from "nodemailer";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import type { SecretStore } from "@/lib/vault";
import { digestSubject, digestText, type Digest } from "./digest";
import { DIGEST_MAX_ITEMS } from "./schema";
import { postWebhook, WebhookRefusedError, type WebhookOptions } from "./webhook";

/**
 * The daily expiry digest. For each Cloud with reminders on and credentials
 * expiring within its window, each person who manages it (directly or
 * through a group) gets one mail, and its webhook one POST, at most once a
 * UTC day: a send is claimed first by inserting (cloud, recipient, day)
 * with ON CONFLICT DO NOTHING, so several instances (or a timer and
 * `npm run remind`) never send twice. A failed send gives its claim back, to
 * be tried on a later pass. Every send and failure is audited against the
 * Cloud; a digest carries names, ids, expiries and links, never a secret.
 */
export interface ReminderPassOptions extends WebhookOptions {
  now?: Date;
  /** Mail through this server instead of SMTP_URL's. */
  smtp?: { url: string; from: string };
  store?: SecretStore;
  baseUrl?: string;
  /** Ignore REMINDER_HOUR (the one-shot and tests). */
  anyHour?: boolean;
  /** Test seam: only these Clouds (test files share one database). */
  cloudIds?: string[];
}

export interface ReminderPassReport {
  clouds: number;
  sent: number;
  failed: number;
  alreadySent: number;
}

const SETTINGS_BATCH = 100;

export async function runReminderPass(options: ReminderPassOptions = {}): Promise<ReminderPassReport> {
  const config = env();
  const now = options.now ?? new Date();
  const report: ReminderPassReport = { clouds: 0, sent: 0, failed: 0, alreadySent: 0 };
  if (!options.anyHour && now.getUTCHours() < config.reminderHourUtc) return report;
  const smtp = options.smtp ?? config.smtp;
  const baseUrl = (options.baseUrl ?? config.publicUrl ?? "http://localhost:3000").replace(/\/+$/, "");
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const mailer = smtp ? nodemailer.createTransport(smtp.url) : undefined;
  try {
    let after: string | undefined;
    for (;;) {
      const batch = await db().cloudReminderSettings.findMany({
        where: {
          enabled: true,
          ...(options.cloudIds ? { cloudId: { in: options.cloudIds } } : {}),
          ...(after ? { cloudId: { gt: after, ...(options.cloudIds ? { in: options.cloudIds } : {}) } } : {}),
        },
        orderBy: { cloudId: "asc" },
        take: SETTINGS_BATCH,
      });
      for (const settings of batch) {
        const digest = await digestFor(settings.cloudId, settings.daysAhead, now, baseUrl);
        if (!digest) continue;
        report.clouds++;
        const sends: { recipient: string; channel: string; send: () => Promise<void> }[] = [];
        if (settings.email && mailer && smtp) {
          for (const person of await cloudManagers(settings.cloudId)) {
            sends.push({
              recipient: `user:${person.id}`,
              channel: `email to user ${person.id}`,
              send: async () => {
                await mailer.sendMail({ from: smtp.from, to: person.email, subject: digestSubject(digest), text: digestText(digest) });
              },
            });
          }
        }
        if (settings.webhookUrl) {
          const url = settings.webhookUrl;
          sends.push({ recipient: "webhook", channel: "webhook", send: () => postWebhook(url, digest, settings.webhookSigned, options) });
        }
        for (const s of sends) {
          const outcome = await sendOnce(settings.cloudId, s.recipient, day, s.send);
          if (outcome === "claimed_elsewhere") {
            report.alreadySent++;
            continue;
          }
          const count = digest.credentials.length + digest.more;
          await recordAudit({
            actorId: null,
            action: outcome === "sent" ? "reminder.sent" : "reminder.failed",
            target: { type: "cloud", id: settings.cloudId },
            cloudId: settings.cloudId,
            outcome: outcome === "sent" ? "succeeded" : "failed",
            reason:
              outcome === "sent" ? `${s.channel}: ${count} expiring within ${digest.daysAhead} days` : `${s.channel}: ${outcome.error}`,
          });
          if (outcome === "sent") report.sent++;
          else report.failed++;
        }
      }
      if (batch.length < SETTINGS_BATCH) break;
      after = batch[batch.length - 1].cloudId;
    }
  } finally {
    mailer?.close();
  }
  return report;
}

/** Claims the day's send, sends, and gives the claim back if the send failed. */
async function sendOnce(
  cloudId: string,
  recipient: string,
  day: Date,
  send: () => Promise<void>,
): Promise<"sent" | "claimed_elsewhere" | { error: string }> {
  // The day as text: a timestamp cast to date would follow the session's time zone.
  const claimed = await db().$executeRaw`
    INSERT INTO reminder_sends (cloud_id, recipient, day) VALUES (${cloudId}::uuid, ${recipient}, ${day.toISOString().slice(0, 10)}::date)
    ON CONFLICT DO NOTHING`;
  if (claimed === 0) return "claimed_elsewhere";
  try {
    await send();
    return "sent";
  } catch (error) {
    await db().reminderSend.deleteMany({ where: { cloudId, recipient, day } });
    // The error's name or status only: a message may echo the SMTP server's reply or the URL.
    const name = error instanceof WebhookRefusedError ? `HTTP ${error.status}` : errorName(error);
    log.warn("reminder.failed", { cloud_id: cloudId, recipient, error: name });
    return { error: name };
  }
}

async function digestFor(cloudId: string, daysAhead: number, now: Date, baseUrl: string): Promise<Digest | null> {
  const horizon = new Date(now.getTime() + daysAhead * 86_400_000);
  const where = { cloudId, revokedAt: null, expiredAt: null, expiresAt: { gt: now, lte: horizon } };
  const credentials = await db().cloudCredential.findMany({
    where,
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    take: DIGEST_MAX_ITEMS + 1,
    select: { id: true, displayName: true, expiresAt: true },
  });
  if (credentials.length === 0) return null;
  const cloud = await db().cloud.findUnique({ where: { id: cloudId }, select: { id: true, displayName: true, slug: true } });
  if (!cloud) return null;
  const more = credentials.length > DIGEST_MAX_ITEMS ? (await db().cloudCredential.count({ where })) - DIGEST_MAX_ITEMS : 0;
  return { cloud, daysAhead, credentials: credentials.slice(0, DIGEST_MAX_ITEMS), more, generatedAt: now, baseUrl };
}

/** The Cloud's `manage` holders: users named directly, and the members of groups named; active accounts only. */
export async function cloudManagers(cloudId: string): Promise<{ id: string; email: string }[]> {
  const tuples = await db().relationTuple.findMany({
    where: { objectType: "cloud", objectId: cloudId, relation: "manage", subjectType: { in: ["user", "group"] } },
    select: { subjectType: true, subjectId: true },
  });
  const direct = tuples.filter((t) => t.subjectType === "user").map((t) => t.subjectId);
  const groups = tuples.filter((t) => t.subjectType === "group").map((t) => t.subjectId);
  const members = groups.length ? await db().groupMember.findMany({ where: { groupId: { in: groups } }, select: { userId: true } }) : [];
  const ids = [...new Set([...direct, ...members.map((m) => m.userId)])];
  if (ids.length === 0) return [];
  return db().user.findMany({ where: { id: { in: ids }, status: "active" }, select: { id: true, email: true }, orderBy: { email: "asc" } });
}

/** nodemailer's and the webhook request's failures by their code (ECONNREFUSED, EAUTH, WEBHOOK_ADDRESS_NOT_PUBLIC, ...) or name, never their message. */
function errorName(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  for (const c of [code, cause]) if (typeof c === "string" && /^[A-Z_]{2,40}$/.test(c)) return c;
  return error instanceof Error ? error.name : "unknown";
}
