"use client";

import { useRouter } from "next/navigation";
import { useAction } from "@/components/useAction";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { setPasswordAction } from "@/lib/identity/actions";

export function SetPasswordForm(props: { token: string }) {
  const router = useRouter();
  const { pending, error, onSubmit } = useAction(setPasswordAction, { onSuccess: () => router.push("/login"), refresh: false });
  return (
    <form className="space-y-4" onSubmit={onSubmit((typed) => ({ token: props.token, password: typed.password ?? "" }))}>
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
