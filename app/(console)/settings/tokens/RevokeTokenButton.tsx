"use client";

import { ConfirmDialog } from "@/components/ConfirmDialog";
import { buttonClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { revokeTokenAction } from "@/lib/tokens/actions";

/** Revoking cannot be undone and breaks whatever uses the token, so it asks first. */
export function RevokeTokenButton(props: { tokenId: string; name: string }) {
  const { pending, error, run } = useAction(revokeTokenAction);
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.secondary} disabled={pending} aria-label={`Revoke ${props.name}`}>
            {pending ? "Revoking…" : "Revoke"}
          </button>
        }
        title="Revoke this token?"
        description={
          <>
            <span className="font-medium">{props.name}</span> stops working at once, for every script and machine that uses it. This cannot
            be undone.
          </>
        }
        confirmLabel="Revoke token"
        destructive
        onConfirm={() => run({ tokenId: props.tokenId }, "Token revoked.")}
      />
    </span>
  );
}
