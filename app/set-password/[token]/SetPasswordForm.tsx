"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { setPasswordAction } from "@/lib/identity/actions";

export function SetPasswordForm(props: { token: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <form
      className="space-y-4"
      action={(form) =>
        startTransition(async () => {
          setError(undefined);
          const result = await setPasswordAction({ token: props.token, password: String(form.get("password") ?? "") });
          if (result.ok) router.push("/login");
          else setError(result.formError ?? Object.values(result.fieldErrors)[0]);
        })
      }
    >
      {error && (
        <Notice tone="error" role="alert">
          {error}
        </Notice>
      )}
      <Field id="password" label="New password" hint="At least 12 characters.">
        <input id="password" name="password" type="password" required minLength={12} autoComplete="new-password" className={inputClass} />
      </Field>
      <button type="submit" className={`${buttonClass.primary} w-full`} disabled={pending}>
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
