"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Field, describedBy } from "@/components/Field";
import { signInWithPassword } from "@/components/auth-client";
import { Notice, buttonClass, inputClass } from "@/components/ui";

// Two fields need no schema library on the sign-in page; the server decides anyway.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const rules = {
  email: {
    setValueAs: (v: string) => v.trim(),
    required: "Enter your email address.",
    pattern: { value: EMAIL, message: "Enter a valid email address." },
  },
  password: { required: "Enter your password." },
} as const;

export function LoginForm({ next = "/clouds" }: { next?: string }) {
  const router = useRouter();
  const [failed, setFailed] = useState<string | undefined>();
  const {
    register,
    handleSubmit,
    resetField,
    formState: { errors, isSubmitting },
  } = useForm({ defaultValues: { email: "", password: "" } });

  const onSubmit = handleSubmit(async (values) => {
    setFailed(undefined);
    const result = await signInWithPassword(values.email, values.password).catch(() => ({ ok: false, error: undefined }));
    resetField("password");
    if (!result.ok) {
      setFailed(failureMessage(result.error));
      return;
    }
    router.replace(next);
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {failed && (
        <Notice tone="error" role="status">
          {failed}
        </Notice>
      )}
      <Field id="email" label="Email" error={errors.email?.message}>
        <input
          id="email"
          type="email"
          autoComplete="username"
          className={inputClass}
          aria-invalid={Boolean(errors.email)}
          aria-describedby={describedBy("email", errors.email?.message)}
          {...register("email", rules.email)}
        />
      </Field>
      <Field id="password" label="Password" error={errors.password?.message}>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          className={inputClass}
          aria-invalid={Boolean(errors.password)}
          aria-describedby={describedBy("password", errors.password?.message)}
          {...register("password", rules.password)}
        />
      </Field>
      <button type="submit" className={`${buttonClass.primary} w-full`} disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

/**
 * A throttled attempt (lib/auth/route.ts) says how long to wait; like a wrong
 * password, it never says whether the account exists.
 */
function failureMessage(error: string | null | undefined): string {
  const throttled = /^TooManyAttempts:(\d+)$/.exec(error ?? "");
  if (!throttled) return "Email or password is incorrect.";
  const minutes = Math.max(1, Math.ceil(Number(throttled[1]) / 60));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
