import { z } from "zod";
import { namesZonedAddress } from "@/lib/http/outbound-url";

/** The most days ahead a digest looks: the longest a credential may live is a year. */
export const REMINDER_DAYS_MAX = 90;
/** The most credentials one digest lists by name; more are counted. */
export const DIGEST_MAX_ITEMS = 100;

// Each rule once; the console form and /v1 differ only in how a value arrives (form strings or JSON).
const daysAhead = z
  .number({ message: "Enter a number of days." })
  .int("Enter whole days.")
  .min(1, "At least 1 day.")
  .max(REMINDER_DAYS_MAX, `At most ${REMINDER_DAYS_MAX} days.`);
const webhookUrl = z
  .string()
  .trim()
  .max(2048, "At most 2,048 characters.")
  // An IPv6 zone id (http://[fe80::1%25eth0]/) does not parse; the server says why (lib/http/public-address.ts).
  .refine((v) => namesZonedAddress(v) || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), "Enter an http:// or https:// URL.")
  // zod runs every check even after one failed: parse only what parses, or "not a url" throws instead of being refused.
  .refine(
    (v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password),
    "Put no credentials in the URL; set a signing secret instead.",
  );
const webhookSecret = z.string().max(512, "At most 512 characters.");

const checkbox = z
  .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal(""), z.null()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

/** The Cloud page's reminder settings form, the action, and the service guard. */
export const reminderSettingsSchema = z.object({
  enabled: checkbox,
  days_ahead: z.coerce.number({ message: "Enter a number of days." }).pipe(daysAhead),
  email: checkbox,
  webhook_url: z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(webhookUrl.nullable()),
  /** Write-only: blank keeps the current secret. */
  webhook_secret: webhookSecret.optional().transform((v) => (v ? v : undefined)),
  clear_webhook_secret: checkbox,
});

export type ReminderSettingsInput = z.infer<typeof reminderSettingsSchema>;

/** PUT /v1/clouds/{id}/reminders: the same settings as JSON, replaced whole (a left-out webhook_url removes the webhook). */
export const reminderSettingsRequestSchema = z
  .object({
    enabled: z.boolean(),
    days_ahead: daysAhead,
    email: z.boolean().meta({ description: "Email the digest to the Cloud's managers (needs SMTP_URL on the server)." }),
    webhook_url: webhookUrl.nullable().optional().meta({
      description: "http(s) URL the digest is POSTed to; it must be (and resolve to) a public address. null or absent: no webhook.",
    }),
    webhook_secret: webhookSecret.min(1).optional().meta({
      description:
        "Write-only HMAC-SHA256 signing secret for the webhook (X-Plexsphere-Signature); absent keeps the current one. Never read back.",
    }),
    clear_webhook_secret: z.boolean().optional().meta({ description: "true removes the signing secret (wins over webhook_secret)." }),
  })
  .strict()
  .meta({ id: "CloudReminderSettingsRequest" });

export const reminderSettingsResponseSchema = z
  .object({
    enabled: z.boolean(),
    days_ahead: z.number().int().min(1).max(REMINDER_DAYS_MAX),
    email: z.boolean(),
    webhook_url: z.string().nullable(),
    webhook_signed: z.boolean().meta({ description: "Whether a signing secret is set; the secret itself is never returned." }),
  })
  .meta({ id: "CloudReminderSettings" });

/** The service's input from a /v1 body. */
export function reminderSettingsFromRequest(body: z.infer<typeof reminderSettingsRequestSchema>): ReminderSettingsInput {
  return {
    enabled: body.enabled,
    days_ahead: body.days_ahead,
    email: body.email,
    webhook_url: body.webhook_url ?? null,
    webhook_secret: body.webhook_secret,
    clear_webhook_secret: body.clear_webhook_secret ?? false,
  };
}
