"use client";

import { useState } from "react";
import { ActionDialog } from "@/components/ActionDialog";
import { Field, describedBy } from "@/components/Field";
import { useAction } from "@/components/useAction";
import { buttonClass, inputClass } from "@/components/controls";
import { updateCredentialAction } from "@/lib/credentials/actions";

/** Renew from a list row: a later expiry (at most a year from today), same action and rule as Edit. */
export function RenewButton(props: { credentialId: string; displayName: string; latestExpiryOn: string }) {
  const [open, setOpen] = useState(false);
  const renew = useAction(updateCredentialAction, { onSuccess: () => setOpen(false) });
  const error = renew.fieldErrors.expires_on ?? renew.error;
  const pending = renew.pending;
  const id = `renew_${props.credentialId}`;
  return (
    <ActionDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) renew.clear();
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
        onSubmit={(event) => {
          event.preventDefault();
          const expiresOn = String(new FormData(event.currentTarget).get("expires_on") ?? "");
          renew.run(
            { credentialId: props.credentialId, expires_on: expiresOn },
            `Renewed ${props.displayName}: now expires on ${expiresOn}.`,
          );
        }}
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
