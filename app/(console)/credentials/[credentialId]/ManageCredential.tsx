"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { ActionDialog } from "@/components/ActionDialog";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Field, describedBy } from "@/components/Field";
import { useAction } from "@/components/useAction";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { revokeCredentialAction, updateCredentialAction, validateCredentialAction } from "@/lib/credentials/actions";
import type { ExpectedFormat } from "@/lib/credentials/schema";
import { REASON_MAX } from "@/lib/limits";
import { RotateCredentialForm } from "./RotateCredentialForm";

type Panel = "test" | "rotate" | "edit";

/**
 * The credential's actions as a row of buttons; each opens its own dialog
 * and only one is open at a time. `?action=rotate|renew` (the links from
 * "Expiring soon") opens Rotate or Edit on arrival.
 */
export function CredentialActions(props: {
  credential: { id: string; displayName: string; version: number; expiresOn: string };
  provider: string;
  expected: ExpectedFormat;
  latestExpiryOn: string;
  /** An expired credential can still be tested and revoked, not rotated or renewed. */
  expired: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const initial = search.get("action") === "rotate" ? "rotate" : search.get("action") === "renew" ? "edit" : null;
  const [open, setOpen] = useState<Panel | null>(initial);
  const show = (panel: Panel | null) => {
    setOpen(panel);
    // The arrival link has done its work; a reload should not open the dialog again.
    if (panel === null && search.get("action")) router.replace(pathname, { scroll: false });
  };
  const onOpenChange = (panel: Panel) => (next: boolean) => show(next ? panel : null);
  const trigger = (label: string) => (
    <button type="button" className={buttonClass.secondary} aria-haspopup="dialog">
      {label}
    </button>
  );
  const { credential } = props;

  return (
    <div className="flex flex-wrap gap-2" data-testid="credential-actions">
      <ActionDialog
        open={open === "test"}
        onOpenChange={onOpenChange("test")}
        trigger={trigger("Test")}
        title="Test credential"
        description={`Checks that the secrets engine still holds the material and that it has the shape of a ${props.provider} credential. Nothing is shown.`}
      >
        <TestCredentialPanel credentialId={credential.id} />
      </ActionDialog>
      {!props.expired && (
        <ActionDialog open={open === "rotate"} onOpenChange={onOpenChange("rotate")} trigger={trigger("Rotate")} title="Rotate credential">
          <RotateCredentialForm
            credentialId={credential.id}
            version={credential.version}
            expected={props.expected}
            latestExpiryOn={props.latestExpiryOn}
            onDone={() => show(null)}
          />
        </ActionDialog>
      )}
      {!props.expired && (
        <ActionDialog
          open={open === "edit"}
          onOpenChange={onOpenChange("edit")}
          trigger={trigger("Edit")}
          title="Edit credential"
          description="Rename it, or move its expiry: closer, or later to renew it (at most a year from today). The secret is not touched."
        >
          <EditCredentialForm
            credentialId={credential.id}
            displayName={credential.displayName}
            expiresOn={credential.expiresOn}
            latestExpiryOn={props.latestExpiryOn}
            onDone={() => show(null)}
          />
        </ActionDialog>
      )}
      <RevokeCredentialButton credentialId={credential.id} displayName={credential.displayName} />
    </div>
  );
}

/** Rename or move the expiry (renew up to the one-year rule); no secret involved. */
export function EditCredentialForm(props: {
  credentialId: string;
  displayName: string;
  expiresOn: string;
  latestExpiryOn: string;
  onDone: () => void;
}) {
  const { pending, formError: topError, fieldErrors: errors, run } = useAction(updateCredentialAction, { onSuccess: () => props.onDone() });
  const formError = topError(["display_name", "expires_on"]);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const expiresOn = String(form.get("expires_on") ?? "");
        run(
          {
            credentialId: props.credentialId,
            display_name: String(form.get("display_name") ?? ""),
            expires_on: expiresOn === props.expiresOn ? "" : expiresOn,
          },
          expiresOn > props.expiresOn ? `Renewed: now expires on ${expiresOn}.` : "Credential saved.",
        );
      }}
    >
      {formError && (
        <Notice tone="error" role="alert">
          {formError}
        </Notice>
      )}
      <Field id="edit_display_name" label="Display name" error={errors.display_name}>
        <input
          id="edit_display_name"
          name="display_name"
          defaultValue={props.displayName}
          className={inputClass}
          aria-invalid={Boolean(errors.display_name)}
          aria-describedby={describedBy("edit_display_name", errors.display_name)}
        />
      </Field>
      <Field
        id="edit_expires_on"
        label="Expires on"
        hint={`Closer, or later up to ${props.latestExpiryOn} (a year from today). Expires at 00:00 UTC.`}
        error={errors.expires_on}
      >
        <input
          id="edit_expires_on"
          name="expires_on"
          type="date"
          defaultValue={props.expiresOn}
          max={props.latestExpiryOn}
          className={`${inputClass} max-w-xs`}
          aria-invalid={Boolean(errors.expires_on)}
          aria-describedby={describedBy("edit_expires_on", errors.expires_on)}
        />
      </Field>
      <div className="flex justify-end">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

/** Revoke asks first: the name typed, and a reason for the audit trail and this page. */
function RevokeCredentialButton(props: { credentialId: string; displayName: string }) {
  const { error, confirm } = useAction(revokeCredentialAction);
  return (
    <ConfirmDialog
      trigger={
        <button
          type="button"
          className="inline-flex items-center rounded-md bg-red-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-red-500"
        >
          Revoke
        </button>
      }
      title={`Revoke ${props.displayName}?`}
      description={
        <>
          The secret is deleted from the secrets engine and every project assignment of this credential is revoked. This cannot be undone.
        </>
      }
      confirmLabel="Revoke credential"
      typeToConfirm={props.displayName}
      destructive
      onConfirm={(form) =>
        confirm({ credentialId: props.credentialId, reason: String(form.get("reason") ?? "") }, `Revoked ${props.displayName}.`)
      }
    >
      <Field id="revoke_reason" label="Reason" hint="Recorded in the audit trail and shown on this page." error={error}>
        <input
          id="revoke_reason"
          name="reason"
          required
          maxLength={REASON_MAX}
          className={inputClass}
          aria-invalid={Boolean(error)}
          aria-describedby={describedBy("revoke_reason", error)}
        />
      </Field>
    </ConfirmDialog>
  );
}

/** Runs the provider's checks on the stored material and lists which passed. */
function TestCredentialPanel(props: { credentialId: string }) {
  const [result, setResult] = useState<Extract<Awaited<ReturnType<typeof validateCredentialAction>>, { ok: true }>>();
  // The checks' answer is shown here; nothing on the page changed.
  const test = useAction(validateCredentialAction, { onSuccess: setResult, onFailure: () => setResult(undefined), refresh: false });
  const pending = test.pending;
  return (
    <div className="space-y-3">
      <button
        type="button"
        className={buttonClass.primary}
        disabled={pending}
        onClick={() => test.run({ credentialId: props.credentialId })}
      >
        {pending ? "Testing…" : "Run the test"}
      </button>
      {test.error && (
        <Notice tone="error" role="status">
          {test.error}
        </Notice>
      )}
      {result?.ok && (
        <div data-testid="validation-result" role="status">
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
