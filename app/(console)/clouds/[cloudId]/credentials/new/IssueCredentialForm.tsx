"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRef, useState, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Field, describedBy } from "@/components/Field";
import { KeyValueRowsField } from "@/components/KeyValueRowsField";
import { Notice, buttonClass, inputClass } from "@/components/ui";
import { issueCredentialAction } from "@/lib/credentials/actions";
import {
  MAX_PAYLOAD_BYTES,
  issueCredentialFormSchema,
  type IssueCredentialFormOutput,
  type IssueCredentialFormValues,
} from "@/lib/credentials/schema";

// Props a password manager or the browser would otherwise use to remember or check what is typed.
const noAssist = { autoComplete: "off", autoCorrect: "off", autoCapitalize: "off", spellCheck: false, "data-1p-ignore": true, "data-lpignore": "true" } as const;

/**
 * The write-only form. The secret fields are copied into the outgoing
 * FormData and cleared from form state before the request leaves, so no
 * path (success, error, network failure) leaves them in memory we hold.
 */
export function IssueCredentialForm(props: { cloudId: string; defaultTtlDays: number; maxTtlDays: number }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<string>();
  const {
    register,
    control,
    handleSubmit,
    setValue,
    setError,
    getValues,
    formState: { errors },
  } = useForm<IssueCredentialFormValues, unknown, IssueCredentialFormOutput>({
    resolver: zodResolver(issueCredentialFormSchema),
    defaultValues: { display_name: "", payload_source: "paste", payload_text: "", payload_file: undefined, key_values: [], expires_on: "" },
  });
  const source = useWatch({ control, name: "payload_source" });

  const clearSecrets = () => {
    setValue("payload_text", "");
    setValue("payload_file", undefined);
    setValue("key_values", []);
    if (fileInput.current) fileInput.current.value = "";
  };

  const submit = (values: IssueCredentialFormOutput) => {
    const body = new FormData();
    body.set("display_name", values.display_name);
    body.set("payload_source", values.payload_source);
    if (values.payload_source === "paste") body.set("payload_text", values.payload_text);
    else if (values.payload_file) body.set("payload_file", values.payload_file);
    // The action validates the rows with the same schema, so send them as edited.
    body.set("key_values", JSON.stringify(getValues("key_values")));
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
      for (const [field, message] of Object.entries(failure.fieldErrors)) {
        setError(field as keyof IssueCredentialFormValues, { message });
      }
    });
  };

  const today = new Date();
  const isoDay = (offsetDays: number) => new Date(today.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

  return (
    <form onSubmit={(event) => void handleSubmit(submit)(event)} noValidate className="space-y-5" autoComplete="off">
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

      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Payload</legend>
        <div className="mt-2 flex gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" value="paste" {...register("payload_source")} /> Paste
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" value="file" {...register("payload_source")} /> Load from file
          </label>
        </div>
        <div className="mt-3">
          {source === "paste" ? (
            <Field
              id="payload_text"
              label="Secret payload"
              hint={`Masked while you type. 1–${MAX_PAYLOAD_BYTES} bytes.`}
              error={errors.payload_text?.message}
            >
              <textarea
                id="payload_text"
                rows={5}
                className={`${inputClass} masked font-mono`}
                aria-invalid={Boolean(errors.payload_text)}
                aria-describedby={describedBy("payload_text", errors.payload_text?.message)}
                {...noAssist}
                {...register("payload_text")}
              />
            </Field>
          ) : (
            <Field
              id="payload_file"
              label="Secret file"
              hint={`Read in your browser and sent once. 1–${MAX_PAYLOAD_BYTES} bytes.`}
              error={errors.payload_file?.message}
            >
              <input
                id="payload_file"
                ref={fileInput}
                type="file"
                className="block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-200"
                aria-invalid={Boolean(errors.payload_file)}
                aria-describedby={describedBy("payload_file", errors.payload_file?.message)}
                onChange={(e) => setValue("payload_file", e.target.files?.[0], { shouldValidate: true })}
              />
            </Field>
          )}
        </div>
      </fieldset>

      <KeyValueRowsField
        name="key_values"
        label="Key-values (optional)"
        hint="Stored with the payload and just as secret, e.g. role_arn."
        control={control}
        register={register}
        errors={errors}
        secret
      />

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
    </form>
  );
}
