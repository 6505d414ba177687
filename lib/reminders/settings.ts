import "server-only";
import { recordAudit } from "@/lib/audit/service";
import { authorize, type Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import { secretStore, type SecretStore } from "@/lib/vault";
import type { ReminderSettingsInput } from "./schema";
import { checkWebhookUrl, webhookSecretPath, type WebhookOptions } from "./webhook";

export interface ReminderSettingsView {
  enabled: boolean;
  daysAhead: number;
  email: boolean;
  webhookUrl: string | null;
  /** Whether a signing secret is set; the secret itself is never read back. */
  webhookSigned: boolean;
}

export const REMINDER_DEFAULTS: ReminderSettingsView = {
  enabled: false,
  daysAhead: 14,
  email: true,
  webhookUrl: null,
  webhookSigned: false,
};

/**
 * What a Cloud's manager may do with its reminder settings, once
 * `authorizeReminderSettings` has checked `cloud#manage` and that the Cloud
 * exists: managers only, even to read (the webhook URL may name an internal
 * endpoint), and the webhook signing secret is read only after the check.
 */
export interface ReminderSettingsPermit {
  readonly cloudId: string;
  read(): Promise<ReminderSettingsView>;
  update(input: ReminderSettingsInput, options?: WebhookOptions & { store?: SecretStore }): Promise<ReminderSettingsView>;
}

export async function authorizeReminderSettings(actor: Actor, cloudId: string): Promise<ReminderSettingsPermit> {
  await authorize(actor, "manage", { cloud: cloudId });
  await assertCloudExists(cloudId);
  return {
    cloudId,
    read: () => readSettings(cloudId),
    update: (input, options) => writeSettings(actor, cloudId, input, options),
  };
}

async function readSettings(cloudId: string): Promise<ReminderSettingsView> {
  const row = await db().cloudReminderSettings.findUnique({ where: { cloudId } });
  return row
    ? { enabled: row.enabled, daysAhead: row.daysAhead, email: row.email, webhookUrl: row.webhookUrl, webhookSigned: row.webhookSigned }
    : REMINDER_DEFAULTS;
}

async function writeSettings(
  actor: Actor,
  cloudId: string,
  input: ReminderSettingsInput,
  options: WebhookOptions & { store?: SecretStore } = {},
): Promise<ReminderSettingsView> {
  // Before the secret is touched: a refused URL changes nothing.
  if (input.webhook_url) await checkWebhookUrl(input.webhook_url, options);
  const current = await db().cloudReminderSettings.findUnique({ where: { cloudId }, select: { webhookSigned: true } });
  let signed = current?.webhookSigned ?? false;
  if (input.webhook_secret !== undefined || input.clear_webhook_secret) {
    const store = options.store ?? (await secretStore());
    // Replaced whole: the old secret's versions go with it.
    await store.destroy(webhookSecretPath(cloudId));
    signed = false;
    if (input.webhook_secret !== undefined && !input.clear_webhook_secret) {
      await store.create(webhookSecretPath(cloudId), { payload: new TextEncoder().encode(input.webhook_secret), keyValues: {} });
      signed = true;
    }
  }
  const data = {
    enabled: input.enabled,
    daysAhead: input.days_ahead,
    email: input.email,
    webhookUrl: input.webhook_url,
    webhookSigned: signed,
  };
  await db().$transaction(async (tx) => {
    await tx.cloudReminderSettings.upsert({ where: { cloudId }, create: { cloudId, ...data }, update: data });
    await recordAudit(
      {
        actorId: actor.id,
        action: "cloud.reminders_update",
        target: { type: "cloud", id: cloudId },
        cloudId,
        outcome: "succeeded",
        reason:
          `${data.enabled ? "on" : "off"}, ${data.daysAhead} days, email ${data.email ? "on" : "off"}, webhook ` +
          `${data.webhookUrl ? (signed ? "signed" : "unsigned") : "none"}`,
      },
      tx,
    );
  });
  return data;
}

/** A platform admin manages every Cloud id, so "allowed" does not mean "there": /v1 answers 404 for a Cloud that is not. */
async function assertCloudExists(cloudId: string): Promise<void> {
  const cloud = isUuid(cloudId) ? await db().cloud.findUnique({ where: { id: cloudId }, select: { id: true } }) : null;
  if (!cloud) throw new NotFoundError("cloud_not_found", "This Cloud does not exist.");
}

/** Destroys a Cloud's webhook signing secret (the Cloud is gone). */
export async function forgetWebhookSecret(cloudId: string, store?: SecretStore): Promise<void> {
  await (store ?? (await secretStore())).destroy(webhookSecretPath(cloudId));
}
