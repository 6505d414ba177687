"use client";

import { useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { CopyButton } from "@/components/CopyButton";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { useServerAction } from "@/components/useServerAction";
import { issueInvitationAction, removeUserAction, revokeInvitationAction, setUserStatusAction } from "@/lib/identity/actions";

export function UserActions(props: { userId: string; email: string; status: "active" | "disabled" }) {
  const { pending, error, run } = useServerAction();
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      {props.status === "active" ? (
        <ConfirmDialog
          trigger={
            <button type="button" className={buttonClass.secondary} disabled={pending} aria-label={`Disable ${props.email}`}>
              Disable
            </button>
          }
          title={`Disable ${props.email}?`}
          description="Their sessions end now, and their API tokens stop working at their next request. You can re-enable them later."
          confirmLabel="Disable"
          destructive
          onConfirm={() => run(() => setUserStatusAction(props.userId, "disabled"), `${props.email} is disabled.`)}
        />
      ) : (
        <button type="button" className={buttonClass.secondary} disabled={pending} aria-label={`Re-enable ${props.email}`} onClick={() => run(() => setUserStatusAction(props.userId, "active"), `${props.email} is enabled again.`)}>
          Re-enable
        </button>
      )}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.ghost} disabled={pending} aria-label={`Remove ${props.email}`}>
            Remove
          </button>
        }
        title={`Remove ${props.email}?`}
        description="The account, its sessions, tokens, group memberships and every grant naming it are deleted. This cannot be undone."
        confirmLabel="Remove"
        typeToConfirm={props.email}
        destructive
        onConfirm={() => run(() => removeUserAction(props.userId), `${props.email} was removed.`)}
      />
    </span>
  );
}

export function RevokeInvitationButton(props: { invitationId: string; email: string }) {
  const { pending, error, run } = useServerAction();
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.secondary} disabled={pending} aria-label={`Revoke the invitation for ${props.email}`}>
            Revoke
          </button>
        }
        title={`Revoke the invitation for ${props.email}?`}
        description="The link stops working at once."
        confirmLabel="Revoke"
        destructive
        onConfirm={() => run(() => revokeInvitationAction(props.invitationId), "Invitation revoked.")}
      />
    </span>
  );
}

/** Invite by email; the one-time link is shown here once, with a copy button. */
export function InviteForm(props: { targets: { value: string; label: string }[] }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [link, setLink] = useState<string>();
  return (
    <div className="space-y-4">
      {error && (
        <Notice tone="error" role="status">
          {error}
        </Notice>
      )}
      {link && (
        <Notice tone="success" role="status">
          <p>Send this link to the invitee. It is shown only now and works once.</p>
          <p className="mt-2 flex items-center gap-2">
            <code className="break-all font-mono text-xs" data-testid="invitation-link">
              {link}
            </code>
            <CopyButton value={link} label="Copy the invitation link" />
          </p>
        </Notice>
      )}
      <form
        className="flex flex-wrap items-end gap-3"
        action={(form) =>
          startTransition(async () => {
            setError(undefined);
            setLink(undefined);
            const [object, relation] = String(form.get("grant") ?? "").split("|");
            const result = await issueInvitationAction({ email: form.get("email"), ttlHours: form.get("ttl_hours"), object, relation });
            if (!result.ok) setError(result.formError ?? Object.values(result.fieldErrors)[0] ?? "Nothing was sent.");
            else if ("link" in result) setLink(result.link);
          })
        }
      >
        <Field id="invite_email" label="Email">
          <input id="invite_email" name="email" type="email" required className={inputClass} />
        </Field>
        <Field id="invite_grant" label="Grant on acceptance">
          <select id="invite_grant" name="grant" className={inputClass} defaultValue="">
            <option value="">(nothing)</option>
            {props.targets.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="invite_ttl" label="Valid for (hours)">
          <input id="invite_ttl" name="ttl_hours" type="number" min={1} max={168} defaultValue={24} className={inputClass} />
        </Field>
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? "Inviting…" : "Invite"}
        </button>
      </form>
    </div>
  );
}
