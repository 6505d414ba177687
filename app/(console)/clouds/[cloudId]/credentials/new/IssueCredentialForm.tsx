"use client";

import { Field, describedBy } from "@/components/Field";
import { SecretFormBody, useSecretForm } from "@/components/SecretForm";
import { Notice, inputClass } from "@/components/controls";
import { issueCredentialAction } from "@/lib/credentials/actions";
import { lazyZodResolver } from "@/components/lazyZodResolver";
import { useHydrated } from "@/components/useHydrated";
import type { ExpectedFormat, IssueCredentialFormOutput, IssueCredentialFormValues } from "@/lib/credentials/schema";

// The schema the action checks again; fetched on first validation, so zod is not in the form's first load.
const resolver = lazyZodResolver<IssueCredentialFormValues, unknown, IssueCredentialFormOutput>(() =>
  import("@/lib/credentials/schema").then((m) => m.issueCredentialFormSchema),
);

/**
 * The write-only form (components/SecretForm.tsx keeps the secret out of form state once sent).
 * The page fetches this code as it hydrates (./DeferredIssueCredentialForm.tsx); until this form
 * has hydrated, its fields are disabled. Success lands on the new credential's page.
 */
export function IssueCredentialForm(props: { cloudId: string; defaultTtlDays: number; maxTtlDays: number; expected: ExpectedFormat }) {
  const hydrated = useHydrated();
  const secret = useSecretForm({
    resolver,
    defaults: { display_name: "", expires_on: "" },
    action: issueCredentialAction,
    argument: (values, raw) => ({ ...values, key_values: raw.key_values, cloudId: props.cloudId }),
    refused: "Nothing was saved. Correct the fields below and enter the secret again.",
    unreachable: "The request did not reach the server. Nothing was saved; enter the secret again.",
  });
  const { register, formState } = secret.form;
  const nameError = formState.errors.display_name?.message;

  return (
    <form onSubmit={(event) => void secret.onSubmit(event)} noValidate autoComplete="off">
      <fieldset disabled={!hydrated} className="min-w-0 space-y-5">
        <Notice tone="info">
          The payload and key-values are write-only. After you submit, nobody can read them back here or through the API.
        </Notice>
        <SecretFormBody
          secret={secret}
          expected={props.expected}
          expiry={expiryField(props)}
          submit={{ idle: "Issue credential", busy: "Issuing…" }}
        >
          <Field id="display_name" label="Display name" error={nameError}>
            <input
              id="display_name"
              className={inputClass}
              aria-invalid={Boolean(nameError)}
              aria-describedby={describedBy("display_name", nameError)}
              {...register("display_name")}
            />
          </Field>
        </SecretFormBody>
      </fieldset>
    </form>
  );
}

/** A new credential's expiry: from tomorrow to the longest lifetime, empty for the default. */
function expiryField(limits: { defaultTtlDays: number; maxTtlDays: number }) {
  const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  const hint = `Defaults to ${limits.defaultTtlDays} days from today; at most ${limits.maxTtlDays} days. Expires at 00:00 UTC.`;
  return { id: "expires_on", label: "Expires on (optional)", hint, min: isoDay(1), max: isoDay(limits.maxTtlDays) };
}
