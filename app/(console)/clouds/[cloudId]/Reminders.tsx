"use client";

import { useRef } from "react";
import { Field } from "@/components/Field";
import { useAction } from "@/components/useAction";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { updateReminderSettingsAction } from "@/lib/reminders/actions";
import { REMINDER_DAYS_MAX } from "@/lib/reminders/schema";

type Settings = { enabled: boolean; daysAhead: number; email: boolean; webhookUrl: string | null; webhookSigned: boolean };

/** Expiry reminders for this Cloud's managers: a daily digest by email and/or a webhook. Managers only. */
export function Reminders(props: { cloudId: string; settings: Settings; mailConfigured: boolean }) {
  // The webhook secret is write-only: its field empties once saved.
  const secretInput = useRef<HTMLInputElement | null>(null);
  const { pending, formError, fieldErrors, run } = useAction(updateReminderSettingsAction, {
    onSuccess: () => {
      if (secretInput.current) secretInput.current.value = "";
    },
  });
  const error = formError(["days_ahead", "webhook_url", "webhook_secret"]);
  const s = props.settings;
  return (
    <form
      method="post"
      className="space-y-4"
      aria-label="Expiry reminders"
      // onSubmit, not a form action: a refused save keeps what was typed.
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        secretInput.current = event.currentTarget.elements.namedItem("webhook_secret") as HTMLInputElement | null;
        run(
          {
            cloudId: props.cloudId,
            enabled: form.get("enabled") === "on",
            days_ahead: String(form.get("days_ahead") ?? ""),
            email: form.get("email") === "on",
            webhook_url: String(form.get("webhook_url") ?? ""),
            webhook_secret: String(form.get("webhook_secret") ?? ""),
            clear_webhook_secret: form.get("clear_webhook_secret") === "on",
          },
          "Reminder settings saved.",
        );
      }}
    >
      {error && (
        <Notice tone="error" role="alert">
          {error}
        </Notice>
      )}
      <p className="text-sm text-slate-600">
        Once a day, everyone who manages this Cloud is told which of its credentials expire soon: names, ids, expiry dates and links, never
        a secret.
      </p>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={s.enabled} /> Send expiry reminders
      </label>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="reminder_days" label="Days ahead" hint={`1 to ${REMINDER_DAYS_MAX}`} error={fieldErrors.days_ahead}>
          <input
            id="reminder_days"
            name="days_ahead"
            type="number"
            min={1}
            max={REMINDER_DAYS_MAX}
            defaultValue={s.daysAhead}
            className={inputClass}
          />
        </Field>
        <div className="flex items-end">
          <label className="flex items-center gap-2 pb-2 text-sm">
            <input type="checkbox" name="email" defaultChecked={s.email} /> Email the managers
            {!props.mailConfigured && <span className="text-xs text-slate-500">(no mail server configured: SMTP_URL)</span>}
          </label>
        </div>
        <Field
          id="reminder_webhook_url"
          label="Webhook URL (optional)"
          hint="The digest is POSTed here as JSON; it must be on the public internet."
          error={fieldErrors.webhook_url}
        >
          <input
            id="reminder_webhook_url"
            name="webhook_url"
            type="url"
            defaultValue={s.webhookUrl ?? ""}
            placeholder="https://hooks.example.com/plexsphere"
            className={inputClass}
          />
        </Field>
        <Field
          id="reminder_webhook_secret"
          label="Webhook signing secret"
          hint={
            s.webhookSigned
              ? "Set. Leave blank to keep it; requests carry x-plexsphere-signature: sha256=<HMAC of the body>."
              : "Optional; kept in the secret store, never shown again."
          }
          error={fieldErrors.webhook_secret}
        >
          <input id="reminder_webhook_secret" name="webhook_secret" type="password" autoComplete="new-password" className={inputClass} />
        </Field>
      </div>
      {s.webhookSigned && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="clear_webhook_secret" /> Remove the signing secret
        </label>
      )}
      <button type="submit" className={buttonClass.secondary} disabled={pending}>
        Save reminders
      </button>
    </form>
  );
}
