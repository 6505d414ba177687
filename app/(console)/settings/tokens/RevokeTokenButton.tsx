"use client";

import { ConfirmDialog } from "@/components/ConfirmDialog";
import { buttonClass } from "@/components/ui";
import { useServerAction } from "@/components/useServerAction";
import { revokeTokenAction } from "@/lib/tokens/actions";

/** `label` names the token (its environment and creation) in the button and the question. */
export function RevokeTokenButton(props: { tokenId: string; label?: string }) {
  const { pending, error, run } = useServerAction();
  const name = props.label ?? "this token";
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.secondary} disabled={pending} aria-label={props.label ? `Revoke ${props.label}` : undefined}>
            {pending ? "Revoking…" : "Revoke"}
          </button>
        }
        title={`Revoke ${name}?`}
        description="Anything still using it gets 401 from the API at once. This cannot be undone."
        confirmLabel="Revoke token"
        destructive
        onConfirm={() => run(() => revokeTokenAction(props.tokenId), "Token revoked.")}
      />
    </span>
  );
}
