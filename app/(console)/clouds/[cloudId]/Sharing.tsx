"use client";

import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Field } from "@/components/Field";
import { useAction } from "@/components/useAction";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { shareCloudAction, unshareCloudAction } from "@/lib/clouds/actions";

type Grant = { userId: string; subjectType: "user" | "group"; email: string; relation: "manage" | "observer" };

/** Who may see or manage this Cloud; its managers add and remove people and groups. */
export function Sharing(props: { cloudId: string; grants: Grant[]; mayManage: boolean; groups: { id: string; displayName: string }[] }) {
  const share = useAction(shareCloudAction);
  const unshare = useAction(unshareCloudAction);
  const formError = share.formError(["email", "relation", "group"]) ?? unshare.error;
  return (
    <div className="space-y-4">
      {formError && (
        <Notice tone="error" role="status">
          {formError}
        </Notice>
      )}
      <ul className="divide-y divide-slate-100 text-sm">
        {props.grants.map((g) => (
          <li key={`${g.subjectType}-${g.userId}-${g.relation}`} className="flex flex-wrap items-center justify-between gap-x-3 py-2">
            <span className="min-w-0 break-all">{g.email}</span>
            <span className="flex items-center gap-2 text-slate-600">
              {g.relation === "manage" ? "manage" : "observe"}
              {props.mayManage && (
                <ConfirmDialog
                  trigger={
                    <button
                      type="button"
                      className={buttonClass.ghost}
                      disabled={unshare.pending}
                      aria-label={`Remove ${g.email} (${g.relation})`}
                    >
                      Remove
                    </button>
                  }
                  title={`Stop sharing with ${g.email}?`}
                  description={`${g.email} can no longer ${g.relation === "manage" ? "manage" : "see"} this Cloud.`}
                  confirmLabel="Stop sharing"
                  destructive
                  onConfirm={() =>
                    unshare.run(
                      { cloudId: props.cloudId, subjectId: g.userId, relation: g.relation, subjectType: g.subjectType },
                      `No longer shared with ${g.email}.`,
                    )
                  }
                />
              )}
            </span>
          </li>
        ))}
      </ul>
      {props.mayManage && (
        <form
          className="flex flex-wrap items-end gap-3"
          noValidate
          onSubmit={share.onSubmit(
            (fields) => ({
              cloudId: props.cloudId,
              email: fields.email,
              relation: fields.relation as "manage" | "observer",
              group: fields.group,
            }),
            "Shared.",
          )}
        >
          <Field id="share_email" label="Share with (email)" error={share.fieldErrors.email}>
            <input id="share_email" name="email" type="email" className={inputClass} />
          </Field>
          {props.groups.length > 0 && (
            <Field id="share_group" label="or with a group" error={share.fieldErrors.group}>
              <select id="share_group" name="group" className={inputClass} defaultValue="">
                <option value="">(none)</option>
                {props.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.displayName}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <Field id="share_relation" label="Access" error={share.fieldErrors.relation}>
            <select id="share_relation" name="relation" className={inputClass} defaultValue="observer">
              <option value="observer">observe</option>
              <option value="manage">manage</option>
            </select>
          </Field>
          <button type="submit" className={buttonClass.secondary} disabled={share.pending}>
            Share
          </button>
        </form>
      )}
    </div>
  );
}
