"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { notify } from "./notify";

/** An action's answer as the client sees it (lib/action-run.ts); undefined when the action redirected. */
type Answer<D> = ({ ok: true } & D) | { ok: false; formError?: string; fieldErrors: Record<string, string> } | undefined;
type Failure = { formError?: string; fieldErrors: Record<string, string> };

export const UNREACHABLE = "The request did not reach the server. Nothing changed; try again.";

/**
 * The one way the console calls a server action (lib/actions.ts): with one object, in a transition,
 * keeping its errors, and refreshing the page's server data when it succeeds.
 *
 * `error` is the form error, else the first field error (for a button with no fields). A form shows
 * `formError` on top and `fieldErrors` on its fields, and submits through `onSubmit`: a function
 * passed as a form's `action` makes React reset the form afterwards, wiping what was typed even
 * when the server refused it; a submit handler keeps it. A react-hook-form form passes its
 * `setError` (`fieldsOf`), so the server's field messages land where the schema's would.
 */
export function useAction<A, D extends object>(
  action: (argument: A) => Promise<Answer<D>>,
  options: {
    onSuccess?: (data: { ok: true } & D) => void;
    onFailure?: () => void;
    fieldsOf?: UseFormSetError<FieldValues>;
    refresh?: boolean;
    unreachable?: string;
  } = {},
) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<Failure>();
  const refusedForm = useRef<HTMLFormElement>(undefined);
  // Once the refusal is on screen (fields marked invalid), focus goes to the first field to fix.
  useEffect(() => {
    if (!failure) return;
    refusedForm.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    refusedForm.current = undefined;
  }, [failure]);

  /** Calls the action and settles its answer; true when it succeeded. */
  const perform = async (argument: A, success?: string | ((data: D) => string), form?: HTMLFormElement): Promise<boolean> => {
    setFailure(undefined);
    let answer: Answer<D>;
    try {
      answer = await action(argument);
    } catch {
      setFailure({ formError: options.unreachable ?? UNREACHABLE, fieldErrors: {} });
      options.onFailure?.();
      return false;
    }
    if (!answer) return true; // the action redirected
    if (!answer.ok) {
      const formError = answer.formError ?? (Object.keys(answer.fieldErrors).length === 0 ? "Nothing changed." : undefined);
      refusedForm.current = form;
      setFailure({ formError, fieldErrors: answer.fieldErrors });
      Object.entries(answer.fieldErrors).forEach(([field, message], i) =>
        options.fieldsOf?.(field as Path<FieldValues>, { message }, { shouldFocus: i === 0 }),
      );
      options.onFailure?.();
      return false;
    }
    const message = typeof success === "function" ? success(answer) : success;
    if (message) notify.success(message);
    form?.reset();
    options.onSuccess?.(answer);
    if (options.refresh !== false) router.refresh();
    return true;
  };

  /** `success`, when given, is announced as a toast once the action succeeded. */
  const run = (argument: A, success?: string | ((data: D) => string), form?: HTMLFormElement) =>
    startTransition(async () => {
      await perform(argument, success, form);
    });

  /** For a confirmation dialog: resolves to false on a refusal, so the dialog stays open with its input. */
  const confirm = (argument: A, success?: string | ((data: D) => string)) =>
    new Promise<boolean>((resolve) => startTransition(async () => resolve(await perform(argument, success))));

  /** A plain form's submit handler: its text fields by name become the action's argument (with what `extra` adds). */
  const onSubmit =
    (toArgument: (fields: Record<string, string>) => A, success?: string | ((data: D) => string)) =>
    (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      run(toArgument(textFields(new FormData(form))), success, form);
    };

  const fieldErrors = failure?.fieldErrors ?? {};
  return {
    pending,
    error: failure ? (failure.formError ?? Object.values(fieldErrors)[0]) : undefined,
    /** The message for the top of a form that shows `shown` fields' errors itself: the form error, else an error for a field it lacks. */
    formError: (shown: string[]) => failure?.formError ?? Object.entries(fieldErrors).find(([field]) => !shown.includes(field))?.[1],
    fieldErrors,
    run,
    confirm,
    onSubmit,
    /** Forgets the last refusal (a dialog closed without trying again). */
    clear: () => setFailure(undefined),
  };
}

function textFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === "string" && !(name in out)) out[name] = value;
  return out;
}
