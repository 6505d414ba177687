"use client";

import dynamic from "next/dynamic";

// One live region for every notice (components/notify.ts), loaded after the page is interactive:
// a notice follows something the person did, never the first paint.
const Toaster = dynamic(() => import("sonner").then((m) => m.Toaster), { ssr: false });

export function Providers({ children }: { children: React.ReactNode }) {
  return (
    <>
      {children}
      <Toaster position="top-right" richColors closeButton />
    </>
  );
}
