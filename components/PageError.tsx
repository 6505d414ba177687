"use client";

import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { buttonClass } from "@/components/controls";

/**
 * What a page that failed to render shows. In production Next passes the
 * boundary only a digest (never the server's message); lib/unavailable.ts
 * sets it to the problem code when the database or the secrets engine is
 * down, so the person learns it is an outage on our side, worth a retry.
 */
const OUTAGES: Record<string, { title: string; detail: string }> = {
  database_unavailable: {
    title: "The database is unavailable",
    detail: "The console cannot reach its database right now. Nothing was changed. Try again in a moment.",
  },
  secrets_engine_unavailable: {
    title: "The secrets engine is unavailable",
    detail: "The console cannot reach the secrets engine right now. Nothing was changed. Try again in a moment.",
  },
};

export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const outage = error.digest ? OUTAGES[error.digest] : undefined;
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div role="alert" className="py-16 text-center">
      <h1 className="text-xl font-semibold">{outage?.title ?? "This page could not be loaded"}</h1>
      <p className="mx-auto mt-2 max-w-prose text-sm text-slate-600">
        {outage?.detail ??
          "Something went wrong on our side. If it keeps happening, the database or the secrets engine may be unavailable; try again in a moment."}
      </p>
      {!outage && error.digest && <p className="mt-2 text-xs text-slate-500">Reference {error.digest}</p>}
      <button type="button" onClick={retry} className={`${buttonClass.primary} mt-6`}>
        Try again
      </button>
    </div>
  );
}
