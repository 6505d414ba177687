"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, type FieldValues, type UseFormSetError } from "react-hook-form";
import { useAction } from "@/components/useAction";
import { Field, describedBy } from "@/components/Field";
import { KeyValueRowsField } from "@/components/KeyValueRowsField";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { createCloudAction } from "@/lib/clouds/actions";
import {
  CLOUD_PROVIDERS,
  PROVIDER_LABELS,
  createCloudFormSchema,
  type CreateCloudFormValues,
  type CreateCloudInput,
} from "@/lib/clouds/schema";

export function NewCloudForm() {
  const form = useForm<CreateCloudFormValues, unknown, CreateCloudInput>({
    resolver: zodResolver(createCloudFormSchema),
    defaultValues: { display_name: "", slug: "", provider: "aws", external_id: "", endpoint: [], region_defaults: [] },
  });
  const {
    register,
    control,
    handleSubmit,
    formState: { errors },
  } = form;
  // Cloud metadata is not secret, so the form may hold it; success navigates away.
  const create = useAction(createCloudAction, {
    fieldsOf: form.setError as unknown as UseFormSetError<FieldValues>,
    unreachable: "The request did not reach the server. Nothing was saved; try again.",
  });
  const formError = create.formError(Object.keys(form.getValues()));

  return (
    // The action re-validates the raw rows with the same schema, so send what the form holds.
    <form onSubmit={handleSubmit(() => create.run(form.getValues()))} noValidate className="space-y-5">
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
      <Field
        id="slug"
        label="Slug"
        hint="Lowercase letters, digits and hyphens, up to 63 characters. It cannot be changed later."
        error={errors.slug?.message}
      >
        <input
          id="slug"
          className={`${inputClass} font-mono`}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={Boolean(errors.slug)}
          aria-describedby={describedBy("slug", errors.slug?.message)}
          {...register("slug")}
        />
      </Field>
      <Field id="provider" label="Provider" hint="Cannot be changed later." error={errors.provider?.message}>
        <select
          id="provider"
          className={inputClass}
          aria-invalid={Boolean(errors.provider)}
          aria-describedby={describedBy("provider", errors.provider?.message)}
          {...register("provider")}
        >
          {CLOUD_PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {PROVIDER_LABELS[p]} ({p})
            </option>
          ))}
        </select>
      </Field>
      <Field
        id="external_id"
        label="External id"
        hint="The provider's account id (AWS account, Azure tenant, GCP project…). Unique per provider."
        error={errors.external_id?.message}
      >
        <input
          id="external_id"
          className={`${inputClass} font-mono`}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={Boolean(errors.external_id)}
          aria-describedby={describedBy("external_id", errors.external_id?.message)}
          {...register("external_id")}
        />
      </Field>
      <KeyValueRowsField
        name="endpoint"
        label="Endpoint (optional)"
        hint="Connection metadata, e.g. url = https://keystone.example.com:5000/v3. Not secret."
        control={control}
        register={register}
        errors={errors}
      />
      <KeyValueRowsField
        name="region_defaults"
        label="Region defaults (optional)"
        hint="e.g. region = eu-west-1. Not secret."
        control={control}
        register={register}
        errors={errors}
      />
      <div className="flex justify-end">
        <button type="submit" className={buttonClass.primary} disabled={create.pending}>
          {create.pending ? "Creating…" : "Create Cloud"}
        </button>
      </div>
    </form>
  );
}
