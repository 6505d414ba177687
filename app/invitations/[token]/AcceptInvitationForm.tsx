"use client";

import { useRouter } from "next/navigation";
import { useAction } from "@/components/useAction";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { acceptInvitationAction } from "@/lib/identity/actions";

export function AcceptInvitationForm(props: { token: string }) {
  const router = useRouter();
  const {
    pending,
    formError,
    fieldErrors: fields,
    onSubmit,
  } = useAction(acceptInvitationAction, {
    onSuccess: () => router.push("/login?joined=1"),
    refresh: false,
  });
  const error = formError(["displayName", "password"]);
  return (
    <form
      className="space-y-4"
      onSubmit={onSubmit((typed) => ({ token: props.token, displayName: typed.display_name ?? "", password: typed.password ?? "" }))}
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
