"use client";

import { useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/ui";
import { useServerAction } from "@/components/useServerAction";
import { revokeCredentialAction, updateCredentialAction, validateCredentialAction } from "@/lib/credentials/actions";

/** Rename or shorten the expiry (no secret involved). */
export function EditCredentialForm(props: { credentialId: string; displayName: string; expiresOn: string }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string }>();
  return (
    <form
      className="space-y-4"
      action={(form) =>
        startTransition(async () => {
          const result = await updateCredentialAction(props.credentialId, {
            display_name: form.get("display_name"),
            expires_on: form.get("expires_on") === props.expiresOn ? "" : form.get("expires_on"),
          });
          setMessage(
            result.ok
              ? { tone: "success", text: "Saved." }
              : { tone: "error", text: result.formError ?? Object.values(result.fieldErrors)[0] ?? "Nothing was saved." },
          );
        })
      }
    >
      {message && (
        <Notice tone={message.tone} role="status">
          {message.text}
        </Notice>
      )}
      <Field id="edit_display_name" label="Display name">
        <input id="edit_display_name" name="display_name" defaultValue={props.displayName} className={inputClass} />
      </Field>
      <Field id="edit_expires_on" label="Expires on" hint="An expiry can only be brought closer.">
        <input id="edit_expires_on" name="expires_on" type="date" defaultValue={props.expiresOn} max={props.expiresOn} className={`${inputClass} max-w-xs`} />
      </Field>
      <div className="flex justify-end">
        <button type="submit" className={buttonClass.secondary} disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

/** Revoke, with the reason recorded in the audit trail, after typing the credential's name. */
export function RevokeCredentialForm(props: { credentialId: string; displayName: string }) {
  const { pending, error, run } = useServerAction();
  return (
    <div className="space-y-4">
      {error && (
        <Notice tone="error" role="status">
          {error}
        </Notice>
      )}
      <p className="text-sm text-slate-600">Revoking cannot be undone: the secret is deleted from the engine and its assignments end.</p>
      <div className="flex justify-end">
        <ConfirmDialog
          trigger={
            <button type="button" className={buttonClass.danger} disabled={pending}>
              {pending ? "Revoking…" : "Revoke credential"}
            </button>
          }
          title={`Revoke ${props.displayName}?`}
          description={
            <>
              <span className="font-medium">{props.displayName}</span> stops working at once: its secret is deleted from the engine and every
              assignment of it is revoked. This cannot be undone.
            </>
          }
          confirmLabel="Revoke credential"
          typeToConfirm={props.displayName}
          destructive
          onConfirm={(form) => run(() => revokeCredentialAction(props.credentialId, { reason: form.get("reason") }), `${props.displayName} revoked.`)}
        >
          <Field id="revoke_reason" label="Reason" hint="Recorded in the audit trail.">
            <input id="revoke_reason" name="reason" className={inputClass} />
          </Field>
        </ConfirmDialog>
      </div>
    </div>
  );
}

/** Runs the provider's checks on the stored material and lists which passed. */
export function TestCredentialButton(props: { credentialId: string }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<Awaited<ReturnType<typeof validateCredentialAction>>>();
  return (
    <div className="space-y-3">
      <button
        type="button"
        className={buttonClass.secondary}
        disabled={pending}
        onClick={() => startTransition(async () => setResult(await validateCredentialAction(props.credentialId)))}
      >
        {pending ? "Testing…" : "Test"}
      </button>
      {result && !result.ok && (
        <Notice tone="error" role="status">
          {result.formError ?? "The test could not run."}
        </Notice>
      )}
      {result?.ok && (
        <div data-testid="validation-result">
          <p className={`text-sm font-medium ${result.valid ? "text-emerald-700" : "text-red-700"}`}>
            {result.valid ? `Looks like a valid ${result.provider} credential.` : `Problems found for a ${result.provider} credential:`}
          </p>
          <ul className="mt-2 space-y-1 text-sm">
            {result.checks.map((check) => (
              <li key={check.name} className={check.ok ? "text-slate-600" : "text-red-700"}>
                {check.ok ? "✓" : "✗"} {check.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
