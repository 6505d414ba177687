"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

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
  const run = (work: () => Promise<ActionResult | void>) =>
    startTransition(async () => {
      setError(undefined);
      const result = await work();
      if (result && !result.ok) setError(result.formError ?? Object.values(result.fieldErrors)[0] ?? "Nothing changed.");
      else router.refresh();
    });
  return { pending, error, run };
}
