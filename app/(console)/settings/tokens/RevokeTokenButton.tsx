"use client";

import { buttonClass } from "@/components/ui";
import { useServerAction } from "@/components/useServerAction";
import { revokeTokenAction } from "@/lib/tokens/actions";

export function RevokeTokenButton(props: { tokenId: string }) {
  const { pending, error, run } = useServerAction();
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <button type="button" className={buttonClass.secondary} disabled={pending} onClick={() => run(() => revokeTokenAction(props.tokenId))}>
        {pending ? "Revoking…" : "Revoke"}
      </button>
    </span>
  );
}
