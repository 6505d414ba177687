"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { acceptInvitationAction } from "@/lib/identity/actions";

export function AcceptInvitationForm(props: { token: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  return (
    <form
      className="space-y-4"
      action={(form) =>
        startTransition(async () => {
          setError(undefined);
          const result = await acceptInvitationAction({ token: props.token, displayName: String(form.get("display_name") ?? ""), password: String(form.get("password") ?? "") });
          if (result.ok) router.push("/login?joined=1");
          else {
            setFields(result.fieldErrors);
            setError(result.formError);
          }
        })
      }
    >
      {error && (
        <Notice tone="error" role="alert">
          {error}
        </Notice>
      )}
      <Field id="display_name" label="Your name" error={fields.displayName}>
        <input id="display_name" name="display_name" required autoComplete="name" className={inputClass} />
      </Field>
      <Field id="password" label="Password" hint="At least 12 characters." error={fields.password}>
        <input id="password" name="password" type="password" required minLength={12} autoComplete="new-password" className={inputClass} />
      </Field>
      <button type="submit" className={`${buttonClass.primary} w-full`} disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}
