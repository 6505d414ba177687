"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { CopyButton } from "@/components/CopyButton";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { issueInvitationAction, removeUserAction, revokeInvitationAction, setUserStatusAction } from "@/lib/identity/actions";

export function UserActions(props: { userId: string; email: string; status: "active" | "disabled" }) {
  const status = useAction(setUserStatusAction);
  const remove = useAction(removeUserAction);
  const pending = status.pending || remove.pending;
  const error = status.error ?? remove.error;
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
          onConfirm={() => status.run({ userId: props.userId, status: "disabled" }, `${props.email} is disabled.`)}
        />
      ) : (
        <button
          type="button"
          className={buttonClass.secondary}
          disabled={pending}
          aria-label={`Re-enable ${props.email}`}
          onClick={() => status.run({ userId: props.userId, status: "active" }, `${props.email} is enabled again.`)}
        >
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
        onConfirm={() => remove.run({ userId: props.userId }, `${props.email} was removed.`)}
      />
    </span>
  );
}

export function RevokeInvitationButton(props: { invitationId: string; email: string }) {
  const { pending, error, run } = useAction(revokeInvitationAction);
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <ConfirmDialog
        trigger={
          <button
            type="button"
            className={buttonClass.secondary}
            disabled={pending}
            aria-label={`Revoke the invitation for ${props.email}`}
          >
            Revoke
          </button>
        }
        title={`Revoke the invitation for ${props.email}?`}
        description="The link stops working at once."
        confirmLabel="Revoke"
        destructive
        onConfirm={() => run({ invitationId: props.invitationId }, "Invitation revoked.")}
      />
    </span>
  );
}

/** Invite by email; the one-time link is shown here once, with a copy button. */
export function InviteForm(props: { targets: { value: string; label: string }[] }) {
  const [link, setLink] = useState<string>();
  const { pending, error, onSubmit } = useAction(issueInvitationAction, {
    onSuccess: (answer) => setLink(answer.link),
    onFailure: () => setLink(undefined),
  });
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
        onSubmit={onSubmit((fields) => {
          const [object, relation] = (fields.grant ?? "").split("|");
          return { email: fields.email, ttlHours: fields.ttl_hours, object, relation };
        })}
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
