"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ActionDialog } from "@/components/ActionDialog";
import { Field, describedBy } from "@/components/Field";
import { notify } from "@/components/notify";
import { buttonClass, inputClass } from "@/components/controls";
import { updateCredentialAction } from "@/lib/credentials/actions";

/** Renew from a list row: a later expiry (at most a year from today), same action and rule as Edit. */
export function RenewButton(props: { credentialId: string; displayName: string; latestExpiryOn: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const id = `renew_${props.credentialId}`;
  return (
    <ActionDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setError(undefined);
      }}
      trigger={
        <button type="button" className={buttonClass.secondary} aria-haspopup="dialog" aria-label={`Renew ${props.displayName}`}>
          Renew
        </button>
      }
      title={`Renew ${props.displayName}`}
      description="Move the expiry later, up to a year from today. The secret and its version stay as they are."
    >
      <form
        className="space-y-4"
        noValidate
        action={(form) =>
          startTransition(async () => {
            const expiresOn = String(form.get("expires_on") ?? "");
            const result = await updateCredentialAction({ credentialId: props.credentialId, expires_on: expiresOn });
            if (!result.ok) return setError(result.fieldErrors.expires_on ?? result.formError ?? Object.values(result.fieldErrors)[0] ?? "Nothing changed.");
            notify.success(`Renewed ${props.displayName}: now expires on ${expiresOn}.`);
            setOpen(false);
            router.refresh();
          })
        }
      >
        <Field id={id} label="New expiry" hint={`At most ${props.latestExpiryOn}. Expires at 00:00 UTC.`} error={error}>
          <input
            id={id}
            name="expires_on"
            type="date"
            required
            defaultValue={props.latestExpiryOn}
            max={props.latestExpiryOn}
            className={`${inputClass} max-w-xs`}
            aria-invalid={Boolean(error)}
            aria-describedby={describedBy(id, error)}
          />
        </Field>
        <div className="flex justify-end">
          <button type="submit" className={buttonClass.primary} disabled={pending}>
            {pending ? "Renewing…" : "Renew"}
          </button>
        </div>
      </form>
    </ActionDialog>
  );
}
