import { z } from "zod";
import { namesZonedAddress } from "@/lib/http/outbound-url";

/** The most days ahead a digest looks: the longest a credential may live is a year. */
export const REMINDER_DAYS_MAX = 90;
/** The most credentials one digest lists by name; more are counted. */
export const DIGEST_MAX_ITEMS = 100;

const checkbox = z.union([z.boolean(), z.literal("on"), z.literal("true"), z.literal(""), z.null()]).optional().transform((v) => v === true || v === "on" || v === "true");

/** The Cloud page's reminder settings form, the action, and the service guard. */
export const reminderSettingsSchema = z.object({
  enabled: checkbox,
  days_ahead: z.coerce.number({ message: "Enter a number of days." }).int("Enter whole days.").min(1, "At least 1 day.").max(REMINDER_DAYS_MAX, `At most ${REMINDER_DAYS_MAX} days.`),
  email: checkbox,
  webhook_url: z
    .string()
    .trim()
    .max(2048, "At most 2,048 characters.")
    .transform((v) => (v === "" ? null : v))
    .pipe(
      z
        .string()
        // An IPv6 zone id (http://[fe80::1%25eth0]/) does not parse; the server says why (lib/http/public-address.ts).
        .refine((v) => namesZonedAddress(v) || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), "Enter an http:// or https:// URL.")
        .refine((v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password), "Put no credentials in the URL; set a signing secret instead.")
        .nullable(),
    ),
  /** Write-only: blank keeps the current secret. */
  webhook_secret: z.string().max(512, "At most 512 characters.").optional().transform((v) => (v ? v : undefined)),
  clear_webhook_secret: checkbox,
});

export type ReminderSettingsInput = z.infer<typeof reminderSettingsSchema>;
