"use client";

import { useWatch, type Control, type FieldErrors, type FieldValues, type UseFormRegister, type UseFormSetValue } from "react-hook-form";
import { Field, describedBy } from "@/components/Field";
import { KeyValueRowsField } from "@/components/KeyValueRowsField";
import { inputClass } from "@/components/controls";
import { MAX_PAYLOAD_BYTES } from "@/lib/credentials/limits";
import type { ExpectedFormat, SecretFormValues } from "@/lib/credentials/schema";

// Props a password manager or the browser would otherwise use to remember or check what is typed.
const noAssist = {
  autoComplete: "off",
  autoCorrect: "off",
  autoCapitalize: "off",
  spellCheck: false,
  "data-1p-ignore": true,
  "data-lpignore": "true",
} as const;

/**
 * The write-only part of the issue and rotate forms: the payload (pasted
 * into a masked box or loaded from a file) and secret key-values.
 */
export function SecretPayloadFields<T extends SecretFormValues, O extends FieldValues>(props: {
  control: Control<T, unknown, O>;
  register: UseFormRegister<T>;
  setValue: UseFormSetValue<T>;
  errors: FieldErrors<T>;
  /** Changing it remounts the file input, which is how a chosen file is cleared. */
  fileInputKey: number;
  /** The Cloud provider's credential format, shown as help and placeholder. */
  expected?: ExpectedFormat;
}) {
  // The generic form is narrowed to the fields every secret form shares.
  const control = props.control as unknown as Control<SecretFormValues, unknown, SecretFormValues>;
  const register = props.register as unknown as UseFormRegister<SecretFormValues>;
  const setValue = props.setValue as unknown as UseFormSetValue<SecretFormValues>;
  const errors = props.errors as FieldErrors<SecretFormValues>;
  const source = useWatch({ control, name: "payload_source" });
  const expected = props.expected;
  const formatHint = expected ? (
    <>
      Expected: a JSON object holding {expected.describe}, with the fields{" "}
      {expected.fields.map((name, i) => (
        <span key={name}>
          {i > 0 && ", "}
          <code>{name}</code>
        </span>
      ))}{" "}
      (key-values count too); also read: {expected.alsoRead}. {MAX_PAYLOAD_BYTES} bytes at most.
    </>
  ) : undefined;

  return (
    <>
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
              hint={formatHint ?? `Masked while you type. 1–${MAX_PAYLOAD_BYTES} bytes.`}
              error={errors.payload_text?.message}
            >
              <textarea
                id="payload_text"
                rows={5}
                placeholder={expected?.placeholder}
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
              hint={formatHint ?? `Read in your browser and sent once. 1–${MAX_PAYLOAD_BYTES} bytes.`}
              error={errors.payload_file?.message}
            >
              <input
                id="payload_file"
                key={props.fileInputKey}
                type="file"
                className={
                  "block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 " +
                  "file:text-sm file:font-medium hover:file:bg-slate-200"
                }
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

      {expected && (
        <div>
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" className="mt-0.5" aria-describedby="allow_unusual_shape-hint" {...register("allow_unusual_shape")} />
            <span>I know this shape is unusual</span>
          </label>
          <p id="allow_unusual_shape-hint" className="ml-6 mt-1 text-xs text-slate-500">
            Store it even if it does not look like {expected.describe}. The override is recorded in the audit trail.
          </p>
        </div>
      )}
    </>
  );
}

/** Copies the secret fields into an outgoing FormData; the caller clears its form state right after. */
export function appendSecretFields(body: FormData, values: SecretFormValues) {
  body.set("payload_source", values.payload_source);
  if (values.payload_source === "paste") body.set("payload_text", values.payload_text);
  else if (values.payload_file) body.set("payload_file", values.payload_file);
  body.set("key_values", JSON.stringify(values.key_values));
  if (values.allow_unusual_shape) body.set("allow_unusual_shape", "on");
}
