"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { Field, describedBy } from "@/components/Field";
import { notify } from "@/components/notify";
import { SecretPayloadFields, appendSecretFields } from "@/components/SecretPayloadFields";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { rotateCredentialAction } from "@/lib/credentials/actions";
import { lazyZodResolver } from "@/components/lazyZodResolver";
import type { ExpectedFormat, RotateCredentialFormOutput, RotateCredentialFormValues } from "@/lib/credentials/schema";

const resolver = lazyZodResolver<RotateCredentialFormValues, unknown, RotateCredentialFormOutput>(() =>
  import("@/lib/credentials/schema").then((m) => m.rotateCredentialFormSchema),
);

/**
 * New material for an existing credential, as the next version, and
 * optionally a later expiry (renew in the same step). Like the issue form it
 * is write-only: the secret is copied into the request and cleared from form
 * state before the request leaves.
 */
export function RotateCredentialForm(props: { credentialId: string; version: number; expected: ExpectedFormat; latestExpiryOn: string; onDone: () => void }) {
  const router = useRouter();
  const [fileInputKey, setFileInputKey] = useState(0);
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<string>();
  const { register, control, handleSubmit, setValue, setError, getValues, formState: { errors } } = useForm<
    RotateCredentialFormValues,
    unknown,
    RotateCredentialFormOutput
  >({
    resolver,
    defaultValues: { expected_version: props.version, payload_source: "paste", payload_text: "", payload_file: undefined, key_values: [], expires_on: "", allow_unusual_shape: false },
  });

  const submit = (values: RotateCredentialFormOutput) => {
    const body = new FormData();
    body.set("expected_version", String(props.version));
    body.set("expires_on", values.expires_on ?? "");
    appendSecretFields(body, { ...values, key_values: getValues("key_values") });
    setValue("payload_text", "");
    setValue("payload_file", undefined);
    setValue("key_values", []);
    setFileInputKey((k) => k + 1);
    setFormError(undefined);
    startTransition(async () => {
      const result = await rotateCredentialAction(props.credentialId, body).catch(() => undefined);
      if (!result) return setFormError("The request did not reach the server. Nothing changed.");
      if (result.ok) {
        notify.success(`Rotated: version ${result.version} is now current${values.expires_on ? `, expiring on ${values.expires_on}` : ""}.`);
        props.onDone();
        router.refresh();
        return;
      }
      setFormError(result.formError ?? "Nothing changed. Correct the fields and enter the secret again.");
      for (const [field, text] of Object.entries(result.fieldErrors)) setError(field as keyof RotateCredentialFormValues, { message: text });
    });
  };

  return (
    <form onSubmit={(event) => void handleSubmit(submit)(event)} noValidate className="space-y-4" autoComplete="off">
      {formError && (
        <Notice tone="error" role="alert">
          {formError}
        </Notice>
      )}
      <p className="text-sm text-slate-600">
        Replaces version {props.version}. If someone rotated it since this page loaded, nothing changes and you are told.
      </p>
      <SecretPayloadFields control={control} register={register} setValue={setValue} errors={errors} fileInputKey={fileInputKey} expected={props.expected} />
      <Field
        id="rotate_expires_on"
        label="New expiry (optional, renews)"
        hint={`Leave empty to keep the current expiry; at most ${props.latestExpiryOn}. Expires at 00:00 UTC.`}
        error={errors.expires_on?.message}
      >
        <input
          id="rotate_expires_on"
          type="date"
          max={props.latestExpiryOn}
          className={`${inputClass} max-w-xs`}
          aria-invalid={Boolean(errors.expires_on)}
          aria-describedby={describedBy("rotate_expires_on", errors.expires_on?.message)}
          {...register("expires_on")}
        />
      </Field>
      <div className="flex justify-end">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? "Rotating…" : "Rotate credential"}
        </button>
      </div>
    </form>
  );
}
