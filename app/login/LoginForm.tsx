"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, describedBy } from "@/components/Field";
import { signInWithPassword } from "@/components/auth-client";
import { Notice, buttonClass, inputClass } from "@/components/controls";

// Two fields need no form or schema library on the sign-in page (it is every visitor's first load); the server decides anyway.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Errors = { email?: { message: string }; password?: { message: string } };

function validate(email: string, password: string): Errors {
  const errors: Errors = {};
  if (email.trim().length === 0) errors.email = { message: "Enter your email address." };
  else if (!EMAIL.test(email.trim())) errors.email = { message: "Enter a valid email address." };
  if (password.length === 0) errors.password = { message: "Enter your password." };
  return errors;
}

export function LoginForm({ next = "/clouds" }: { next?: string }) {
  const router = useRouter();
  const [failed, setFailed] = useState<string | undefined>();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [submitted, setSubmitted] = useState(false);
  const [isSubmitting, setSubmitting] = useState(false);

  // After a first attempt, the messages follow what is typed.
  const register = (name: "email" | "password") => ({
    name,
    value: name === "email" ? email : password,
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => {
      const nextEmail = name === "email" ? event.target.value : email;
      const nextPassword = name === "password" ? event.target.value : password;
      if (name === "email") setEmail(event.target.value);
      else setPassword(event.target.value);
      if (submitted) setErrors(validate(nextEmail, nextPassword));
    },
  });

  const onSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isSubmitting) return;
    setSubmitted(true);
    const found = validate(email, password);
    setErrors(found);
    if (found.email || found.password) {
      (event.currentTarget.elements.namedItem(found.email ? "email" : "password") as HTMLInputElement | null)?.focus();
      return;
    }
    setFailed(undefined);
    setSubmitting(true);
    const result = await signInWithPassword(email.trim(), password).catch(() => ({ ok: false, error: undefined }));
    setPassword("");
    setSubmitting(false);
    if (!result.ok) {
      setFailed(failureMessage(result.error));
      return;
    }
    router.replace(next);
    router.refresh();
  };

  return (
    <form method="post" onSubmit={(event) => void onSubmit(event)} noValidate className="space-y-4">
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
          {...register("email")}
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
          {...register("password")}
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
