"use client";

import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { Field, describedBy } from "@/components/Field";
import { SecretPayloadFields, appendSecretFields } from "@/components/SecretPayloadFields";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { issueCredentialAction } from "@/lib/credentials/actions";
import { lazyZodResolver } from "@/components/lazyZodResolver";
import { useHydrated } from "@/components/useHydrated";
import type { ExpectedFormat, IssueCredentialFormOutput, IssueCredentialFormValues } from "@/lib/credentials/schema";

// The schema the action checks again; fetched on first validation, so zod is not in the form's first load.
const resolver = lazyZodResolver<IssueCredentialFormValues, unknown, IssueCredentialFormOutput>(() =>
  import("@/lib/credentials/schema").then((m) => m.issueCredentialFormSchema),
);

/**
 * The write-only form. The secret fields are copied into the outgoing
 * FormData and cleared from form state before the request leaves, so no
 * path (success, error, network failure) leaves them in memory we hold.
 * The page fetches this code as it hydrates (./DeferredIssueCredentialForm.tsx);
 * until this form has hydrated, its fields are disabled.
 */
export function IssueCredentialForm(props: { cloudId: string; defaultTtlDays: number; maxTtlDays: number; expected: ExpectedFormat }) {
  const [fileInputKey, setFileInputKey] = useState(0);
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<string>();
  const hydrated = useHydrated();
  const {
    register,
    control,
    handleSubmit,
    setValue,
    setError,
    getValues,
    formState: { errors },
  } = useForm<IssueCredentialFormValues, unknown, IssueCredentialFormOutput>({
    resolver,
    defaultValues: { display_name: "", payload_source: "paste", payload_text: "", payload_file: undefined, key_values: [], expires_on: "", allow_unusual_shape: false },
  });

  const clearSecrets = () => {
    setValue("payload_text", "");
    setValue("payload_file", undefined);
    setValue("key_values", []);
    setFileInputKey((k) => k + 1);
  };

  const submit = (values: IssueCredentialFormOutput) => {
    const body = new FormData();
    body.set("display_name", values.display_name);
    // The action validates the rows with the same schema, so send them as edited.
    appendSecretFields(body, { ...values, key_values: getValues("key_values") });
    body.set("expires_on", values.expires_on ?? "");
    clearSecrets();
    setFormError(undefined);

    startTransition(async () => {
      let failure;
      try {
        failure = await issueCredentialAction(props.cloudId, body);
      } catch {
        setFormError("The request did not reach the server. Nothing was saved; enter the secret again.");
        return;
      }
      if (!failure) return; // success: the action redirected
      setFormError(failure.formError ?? "Nothing was saved. Correct the fields below and enter the secret again.");
      Object.entries(failure.fieldErrors).forEach(([field, message], i) => {
        setError(field as keyof IssueCredentialFormValues, { message }, { shouldFocus: i === 0 });
      });
    });
  };

  const today = new Date();
  const isoDay = (offsetDays: number) => new Date(today.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

  return (
    <form onSubmit={(event) => void handleSubmit(submit)(event)} noValidate autoComplete="off">
      <fieldset disabled={!hydrated} className="min-w-0 space-y-5">
        <Notice tone="info">
          The payload and key-values are write-only. After you submit, nobody can read them back here or through the API.
        </Notice>
        {formError && (
          <Notice tone="error" role="status">
            {formError}
          </Notice>
        )}
        <Field id="display_name" label="Display name" error={errors.display_name?.message}>
          <input
            id="display_name"
            className={inputClass}
            aria-invalid={Boolean(errors.display_name)}
            aria-describedby={describedBy("display_name", errors.display_name?.message)}
            {...register("display_name")}
          />
        </Field>

        <SecretPayloadFields control={control} register={register} setValue={setValue} errors={errors} fileInputKey={fileInputKey} expected={props.expected} />

        <Field
          id="expires_on"
          label="Expires on (optional)"
          hint={`Defaults to ${props.defaultTtlDays} days from today; at most ${props.maxTtlDays} days. Expires at 00:00 UTC.`}
          error={errors.expires_on?.message}
        >
          <input
            id="expires_on"
            type="date"
            min={isoDay(1)}
            max={isoDay(props.maxTtlDays)}
            className={`${inputClass} max-w-xs`}
            aria-invalid={Boolean(errors.expires_on)}
            aria-describedby={describedBy("expires_on", errors.expires_on?.message)}
            {...register("expires_on")}
          />
        </Field>

        <div className="flex justify-end">
          <button type="submit" className={buttonClass.primary} disabled={pending}>
            {pending ? "Issuing…" : "Issue credential"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
