"use client";

import { useTransition } from "react";
import { buttonClass } from "@/components/ui";
import { revokeTokenAction } from "@/lib/tokens/actions";

export function RevokeTokenButton(props: { tokenId: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      className={buttonClass.secondary}
      disabled={pending}
      onClick={() => startTransition(async () => void (await revokeTokenAction(props.tokenId)))}
    >
      {pending ? "Revoking…" : "Revoke"}
    </button>
  );
}
