"use client";

import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { SecretPayloadFields, appendSecretFields } from "@/components/SecretPayloadFields";
import { Notice, buttonClass } from "@/components/ui";
import { rotateCredentialAction } from "@/lib/credentials/actions";
import { lazyZodResolver } from "@/components/lazyZodResolver";
import type { RotateCredentialFormOutput, RotateCredentialFormValues } from "@/lib/credentials/schema";

const resolver = lazyZodResolver<RotateCredentialFormValues, unknown, RotateCredentialFormOutput>(() =>
  import("@/lib/credentials/schema").then((m) => m.rotateCredentialFormSchema),
);

/**
 * New material for an existing credential, as the next version. Like the
 * issue form it is write-only: the secret is copied into the request and
 * cleared from form state before the request leaves.
 */
export function RotateCredentialForm(props: { credentialId: string; version: number }) {
  const [fileInputKey, setFileInputKey] = useState(0);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string }>();
  const { register, control, handleSubmit, setValue, setError, getValues, formState: { errors } } = useForm<
    RotateCredentialFormValues,
    unknown,
    RotateCredentialFormOutput
  >({
    resolver,
    defaultValues: { expected_version: props.version, payload_source: "paste", payload_text: "", payload_file: undefined, key_values: [] },
  });

  const submit = (values: RotateCredentialFormOutput) => {
    const body = new FormData();
    body.set("expected_version", String(props.version));
    appendSecretFields(body, { ...values, key_values: getValues("key_values") });
    setValue("payload_text", "");
    setValue("payload_file", undefined);
    setValue("key_values", []);
    setFileInputKey((k) => k + 1);
    setMessage(undefined);
    startTransition(async () => {
      const result = await rotateCredentialAction(props.credentialId, body).catch(() => undefined);
      if (!result) return setMessage({ tone: "error", text: "The request did not reach the server. Nothing changed." });
      if (result.ok) return setMessage({ tone: "success", text: `Rotated: version ${result.version} is now current.` });
      setMessage({ tone: "error", text: result.formError ?? "Nothing changed. Correct the fields and enter the secret again." });
      for (const [field, text] of Object.entries(result.fieldErrors)) setError(field as keyof RotateCredentialFormValues, { message: text });
    });
  };

  return (
    <form onSubmit={(event) => void handleSubmit(submit)(event)} noValidate className="space-y-4" autoComplete="off">
      {message && (
        <Notice tone={message.tone} role="status">
          {message.text}
        </Notice>
      )}
      <p className="text-sm text-slate-600">
        Replaces version {props.version}. If someone rotated it since this page loaded, nothing changes and you are told.
      </p>
      <SecretPayloadFields control={control} register={register} setValue={setValue} errors={errors} fileInputKey={fileInputKey} />
      <div className="flex justify-end">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? "Rotating…" : "Rotate credential"}
        </button>
      </div>
    </form>
  );
}
