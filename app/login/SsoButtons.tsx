"use client";

import { signInWithProvider } from "@/components/auth-client";
import { useState } from "react";
import { buttonClass } from "@/components/controls";

/** "Continue with <alias>" for every active identity provider; next-auth runs the code flow with PKCE, state and nonce. */
export function SsoButtons({ providers, next }: { providers: { id: string; label: string }[]; next: string }) {
  const [pending, setPending] = useState<string | undefined>();
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <button
          key={provider.id}
          type="button"
          className={`${buttonClass.secondary} w-full`}
          disabled={pending !== undefined}
          onClick={() => {
            setPending(provider.id);
            void signInWithProvider(provider.id, next);
          }}
        >
          {pending === provider.id ? "Redirecting…" : `Continue with ${provider.label}`}
        </button>
      ))}
    </div>
  );
}
