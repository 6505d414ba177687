"use client";

import { useRef, useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type Resolver, type UseFormSetError } from "react-hook-form";
import { Field, describedBy } from "@/components/Field";
import { SecretPayloadFields } from "@/components/SecretPayloadFields";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import type { ExpectedFormat, SecretFormValues } from "@/lib/credentials/schema";

type Answer<D> = ({ ok: true } & D) | { ok: false; formError?: string; fieldErrors: Record<string, string> } | undefined;
type SecretForm = SecretFormValues & { expires_on?: string } & FieldValues;

const EMPTY_SECRET = {
  payload_source: "paste",
  payload_text: "",
  payload_file: undefined,
  key_values: [],
  allow_unusual_shape: false,
} as const;

/**
 * The write-only skeleton the issue and rotate forms share: react-hook-form over the action's own
 * schema, the secret fields copied into the argument and cleared from form state before the
 * request leaves (so no path, success, refusal or network failure, leaves them in memory we hold),
 * and the action called through `useAction`.
 */
export function useSecretForm<V extends SecretForm, O extends FieldValues, A, D extends object>(options: {
  resolver: Resolver<V, unknown, O>;
  defaults: Omit<V, keyof SecretFormValues>;
  action: (argument: A) => Promise<Answer<D>>;
  /** The action's argument from the form's values (the key-value rows as edited: the action checks them with the same schema). */
  argument: (values: O, raw: V) => A;
  /** The form's top message when only fields were refused, and when the request never arrived. */
  refused: string;
  unreachable: string;
  onSuccess?: (data: D, values: O) => void;
}) {
  const [fileInputKey, setFileInputKey] = useState(0);
  const form = useForm<V, unknown, O>({
    resolver: options.resolver,
    defaultValues: { ...EMPTY_SECRET, ...options.defaults } as DefaultValues<V>,
  });
  const submitted = useRef<O>(undefined);
  const call = useAction(options.action, {
    fieldsOf: form.setError as unknown as UseFormSetError<FieldValues>,
    unreachable: options.unreachable,
    onSuccess: (data) => submitted.current && options.onSuccess?.(data, submitted.current),
  });
  const clearSecrets = () => {
    const set = form.setValue as unknown as (name: keyof SecretFormValues, value: unknown) => void;
    set("payload_text", "");
    set("payload_file", undefined);
    set("key_values", []);
    setFileInputKey((k) => k + 1);
  };
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) =>
    form.handleSubmit((values) => {
      submitted.current = values;
      const argument = options.argument(values, form.getValues());
      clearSecrets();
      call.run(argument);
    })(event);
  const failure = call.formError([]) ?? (Object.keys(call.fieldErrors).length > 0 ? options.refused : undefined);
  return { form, fileInputKey, onSubmit, pending: call.pending, failure };
}

/** The skeleton's visible parts around a form's own fields: the refusal, the secret fields, the expiry and the submit row. */
export function SecretFormBody<V extends SecretForm, O extends FieldValues>(props: {
  secret: ReturnType<typeof useSecretForm<V, O, never, object>>;
  expected?: ExpectedFormat;
  expiry: { id: string; label: string; hint: string; min?: string; max?: string };
  submit: { idle: string; busy: string };
  children?: React.ReactNode;
}) {
  const { form, fileInputKey, pending, failure } = props.secret;
  const errors = form.formState.errors;
  const expiryError = errors.expires_on?.message as string | undefined;
  return (
    <>
      {failure && (
        <Notice tone="error" role="alert">
          {failure}
        </Notice>
      )}
      {props.children}
      <SecretPayloadFields
        control={form.control}
        register={form.register}
        setValue={form.setValue}
        errors={errors}
        fileInputKey={fileInputKey}
        expected={props.expected}
      />
      <Field id={props.expiry.id} label={props.expiry.label} hint={props.expiry.hint} error={expiryError}>
        <input
          id={props.expiry.id}
          type="date"
          min={props.expiry.min}
          max={props.expiry.max}
          className={`${inputClass} max-w-xs`}
          aria-invalid={Boolean(expiryError)}
          aria-describedby={describedBy(props.expiry.id, expiryError)}
          {...form.register("expires_on" as never)}
        />
      </Field>
      <div className="flex justify-end">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? props.submit.busy : props.submit.idle}
        </button>
      </div>
    </>
  );
}
