"use client";

import { useState } from "react";
import { CopyButton } from "@/components/CopyButton";
import { Field } from "@/components/Field";
import { useAction } from "@/components/useAction";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { createTokenAction } from "@/lib/tokens/actions";
import { TOKEN_NAME_MAX } from "@/lib/tokens/schema";

type CreatedToken = Extract<Awaited<ReturnType<typeof createTokenAction>>, { ok: true }>;

/** Creates a token and shows its plaintext once, until dismissed or the page is left. */
export function CreateTokenForm() {
  const [created, setCreated] = useState<CreatedToken>();
  const {
    pending,
    formError,
    fieldErrors: refused,
    onSubmit,
  } = useAction(createTokenAction, {
    onSuccess: setCreated,
    onFailure: () => setCreated(undefined),
  });
  // The service names the lifetime `ttl`; the form's field is `ttl_days`.
  const fieldErrors: Record<string, string | undefined> = { ...refused, ttl_days: refused.ttl_days ?? refused.ttl };
  const error = formError(["name", "env_prefix", "ttl_days", "ttl"]);

  return (
    <div className="space-y-4">
      {created && (
        <Notice tone="success" role="status">
          <p className="font-medium">Copy this token now. It will not be shown again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code
              className="min-w-0 break-all rounded bg-white px-2 py-1 font-mono text-xs ring-1 ring-emerald-200 dark:ring-emerald-800"
              data-testid="new-token"
            >
              {created.plaintext}
            </code>
            <CopyButton value={created.plaintext} label="Copy token" />
          </div>
          <button type="button" className={`${buttonClass.ghost} mt-2`} onClick={() => setCreated(undefined)}>
            Done, hide it
          </button>
        </Notice>
      )}
      {error && (
        <Notice tone="error" role="status">
          {error}
        </Notice>
      )}
      {/* A submit handler, not a form action: React resets a form after its action, and a refused form keeps its choices. */}
      <form
        className="flex flex-wrap items-end gap-4"
        onSubmit={onSubmit((fields) => ({
          name: fields.name ?? "",
          env_prefix: fields.env_prefix as "dev",
          ttl_days: fields.ttl_days ?? "",
        }))}
      >
        <Field id="name" label="Name" error={fieldErrors.name}>
          <input
            id="name"
            name="name"
            required
            maxLength={TOKEN_NAME_MAX}
            placeholder="CI deploys"
            autoComplete="off"
            className={inputClass}
          />
        </Field>
        <Field id="env_prefix" label="Environment" error={fieldErrors.env_prefix}>
          <select id="env_prefix" name="env_prefix" className={inputClass} defaultValue="dev">
            <option value="dev">dev</option>
            <option value="stage">stage</option>
            <option value="prod">prod</option>
          </select>
        </Field>
        <Field id="ttl_days" label="Lifetime" error={fieldErrors.ttl_days}>
          <select id="ttl_days" name="ttl_days" className={inputClass} defaultValue="30">
            <option value="1">1 day</option>
            <option value="7">7 days</option>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="365">1 year</option>
          </select>
        </Field>
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </button>
      </form>
    </div>
  );
}
