"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { notify } from "./notify";

type ActionResult = { ok: true } | { ok: false; formError?: string; fieldErrors: Record<string, string> };

/**
 * Runs a server action in a transition, keeps its error message (the
 * form error, else the first field error), and refreshes the page's server
 * data when it succeeds.
 */
export function useServerAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  /** `success`, when given, is announced as a toast once the action succeeded. */
  const run = (work: () => Promise<ActionResult | void>, success?: string) =>
    startTransition(async () => {
      setError(undefined);
      const result = await work();
      if (result && !result.ok) setError(result.formError ?? Object.values(result.fieldErrors)[0] ?? "Nothing changed.");
      else {
        if (success) notify.success(success);
        router.refresh();
      }
    });
  return { pending, error, run };
}
