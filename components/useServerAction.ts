"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { notify } from "./notify";

type ActionResult = { ok: true } | { ok: false; formError?: string; fieldErrors: Record<string, string> };

/**
 * Runs a server action in a transition, keeps its errors, and refreshes the
 * page's server data when it succeeds.
 *
 * `error` is the form error, else the first field error (for a button with
 * no fields). A form shows `formError` on top and `fieldErrors` on its
 * fields, and submits through `onSubmit`: a function passed as a form's
 * `action` makes React reset the form afterwards, wiping what was typed even
 * when the server refused it; a submit handler keeps it.
 */
export function useServerAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<{ formError?: string; fieldErrors: Record<string, string> }>();
  const refusedForm = useRef<HTMLFormElement>(undefined);
  // Once the refusal is on screen (fields marked invalid), focus goes to the first field to fix.
  useEffect(() => {
    if (!failure) return;
    refusedForm.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    refusedForm.current = undefined;
  }, [failure]);
  /** `success`, when given, is announced as a toast once the action succeeded. */
  const run = (work: () => Promise<ActionResult | void>, success?: string, form?: HTMLFormElement) =>
    startTransition(async () => {
      setFailure(undefined);
      const result = await work();
      if (result && !result.ok) {
        const formError = result.formError ?? (Object.keys(result.fieldErrors).length === 0 ? "Nothing changed." : undefined);
        refusedForm.current = form;
        setFailure({ formError, fieldErrors: result.fieldErrors });
      } else {
        if (success) notify.success(success);
        form?.reset();
        router.refresh();
      }
    });
  const onSubmit = (work: (data: FormData) => Promise<ActionResult | void>, success?: string) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    run(() => work(new FormData(form)), success, form);
  };
  const fieldErrors = failure?.fieldErrors ?? {};
  return {
    pending,
    error: failure ? (failure.formError ?? Object.values(fieldErrors)[0]) : undefined,
    /** The message for the top of a form that shows `shown` fields' errors itself: the form error, else an error for a field it lacks. */
    formError: (shown: string[]) => failure?.formError ?? Object.entries(fieldErrors).find(([field]) => !shown.includes(field))?.[1],
    fieldErrors,
    run,
    onSubmit,
  };
}
