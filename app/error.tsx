"use client";

import { PageError } from "@/components/PageError";

// Catches what fails above the console's own boundary, such as its layout reading the signed-in user.
export default function RootError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-6xl px-6 py-8">
      <PageError {...props} />
    </main>
  );
}
