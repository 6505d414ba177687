"use client";

import { ConfirmDialog } from "@/components/ConfirmDialog";
import { buttonClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { endSessionAction, signOutEverywhereAction } from "@/lib/auth/session-actions";

export function EndSessionButton(props: { sessionId: string; device: string }) {
  const { pending, error, run } = useAction(endSessionAction);
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.secondary} disabled={pending}>
            {pending ? "Signing out…" : "Sign out"}
          </button>
        }
        title="Sign out this session?"
        description={<>The browser on {props.device} is signed out at its next request and has to sign in again.</>}
        confirmLabel="Sign out session"
        destructive
        onConfirm={() => run({ sessionId: props.sessionId }, "Session signed out.")}
      />
    </span>
  );
}

export function SignOutEverywhereButton(props: { count: number }) {
  // On success the action redirects to /login; it only answers when it failed.
  const { pending, error, run } = useAction(signOutEverywhereAction);
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.secondary} disabled={pending}>
            Sign out everywhere
          </button>
        }
        title="Sign out everywhere?"
        description={<>All {props.count} of your sessions end, this one included; you will be taken to the sign-in page.</>}
        confirmLabel="Sign out everywhere"
        destructive
        onConfirm={() => run({})}
      />
    </span>
  );
}
