"use client";

import { SecretFormBody, useSecretForm } from "@/components/SecretForm";
import { notify } from "@/components/notify";
import { rotateCredentialAction } from "@/lib/credentials/actions";
import { lazyZodResolver } from "@/components/lazyZodResolver";
import type { ExpectedFormat, RotateCredentialFormOutput, RotateCredentialFormValues } from "@/lib/credentials/schema";

const resolver = lazyZodResolver<RotateCredentialFormValues, unknown, RotateCredentialFormOutput>(() =>
  import("@/lib/credentials/schema").then((m) => m.rotateCredentialFormSchema),
);

/**
 * New material for an existing credential, as the next version, and optionally a later expiry
 * (renew in the same step). Write-only like the issue form (components/SecretForm.tsx).
 */
export function RotateCredentialForm(props: {
  credentialId: string;
  version: number;
  expected: ExpectedFormat;
  latestExpiryOn: string;
  onDone: () => void;
}) {
  const secret = useSecretForm({
    resolver,
    defaults: { expected_version: props.version, expires_on: "" },
    action: rotateCredentialAction,
    argument: (values, raw) => ({
      ...values,
      expected_version: props.version,
      key_values: raw.key_values,
      credentialId: props.credentialId,
    }),
    refused: "Nothing changed. Correct the fields and enter the secret again.",
    unreachable: "The request did not reach the server. Nothing changed.",
    onSuccess: ({ version }, values) => {
      notify.success(`Rotated: version ${version} is now current${values.expires_on ? `, expiring on ${values.expires_on}` : ""}.`);
      props.onDone();
    },
  });

  return (
    <form onSubmit={(event) => void secret.onSubmit(event)} noValidate className="space-y-4" autoComplete="off">
      <SecretFormBody
        secret={secret}
        expected={props.expected}
        expiry={{
          id: "rotate_expires_on",
          label: "New expiry (optional, renews)",
          hint: `Leave empty to keep the current expiry; at most ${props.latestExpiryOn}. Expires at 00:00 UTC.`,
          max: props.latestExpiryOn,
        }}
        submit={{ idle: "Rotate credential", busy: "Rotating…" }}
      >
        <p className="text-sm text-slate-600">
          Replaces version {props.version}. If someone rotated it since this page loaded, nothing changes and you are told.
        </p>
      </SecretFormBody>
    </form>
  );
}
