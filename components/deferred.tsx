"use client";

import { Suspense, lazy, type ComponentType } from "react";

/**
 * A client component whose code is fetched once the page hydrates instead of
 * with the page (for the forms on react-hook-form, the largest part of their
 * page's JavaScript). The server still renders it in full, so the first
 * paint is the same; the browser keeps that HTML until the code has arrived,
 * then hydrates it. Pair it with `useHydrated` (./useHydrated.ts) to keep
 * the form disabled until then. A client-side navigation shows `fallback` meanwhile.
 *
 *   export const IssueCredentialForm = deferred(() => import("./IssueCredentialForm").then((m) => m.IssueCredentialForm));
 */
export function deferred<P extends object>(load: () => Promise<ComponentType<P>>, fallback: React.ReactNode = null): ComponentType<P> {
  const Component = lazy(() => load().then((component) => ({ default: component })));
  return function Deferred(props: P) {
    return (
      <Suspense fallback={fallback}>
        <Component {...props} />
      </Suspense>
    );
  };
}
