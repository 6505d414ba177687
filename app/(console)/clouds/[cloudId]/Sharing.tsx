"use client";

import { Field } from "@/components/Field";
import { useServerAction } from "@/components/useServerAction";
import { Notice, buttonClass, inputClass } from "@/components/ui";
import { shareCloudAction, unshareCloudAction } from "@/lib/clouds/actions";

type Grant = { userId: string; subjectType: "user" | "group"; email: string; relation: "manage" | "observer" };

/** Who may see or manage this Cloud; its managers add and remove people and groups. */
export function Sharing(props: { cloudId: string; grants: Grant[]; mayManage: boolean; groups: { id: string; displayName: string }[] }) {
  const { pending, error, run: act } = useServerAction();
  return (
    <div className="space-y-4">
      {error && (
        <Notice tone="error" role="status">
          {error}
        </Notice>
      )}
      <ul className="divide-y divide-slate-100 text-sm">
        {props.grants.map((g) => (
          <li key={`${g.subjectType}-${g.userId}-${g.relation}`} className="flex items-center justify-between py-2">
            <span>{g.email}</span>
            <span className="flex items-center gap-2 text-slate-500">
              {g.relation === "manage" ? "manage" : "observe"}
              {props.mayManage && (
                <button
                  type="button"
                  className={buttonClass.ghost}
                  disabled={pending}
                  aria-label={`Remove ${g.email} (${g.relation})`}
                  onClick={() => act(() => unshareCloudAction(props.cloudId, g.userId, g.relation, g.subjectType))}
                >
                  Remove
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {props.mayManage && (
        <form
          className="flex flex-wrap items-end gap-3"
          action={(form) => act(() => shareCloudAction(props.cloudId, { email: form.get("email"), relation: form.get("relation"), group: form.get("group") }))}
        >
          <Field id="share_email" label="Share with (email)">
            <input id="share_email" name="email" type="email" className={inputClass} />
          </Field>
          {props.groups.length > 0 && (
            <Field id="share_group" label="or with a group">
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
          <Field id="share_relation" label="Access">
            <select id="share_relation" name="relation" className={inputClass} defaultValue="observer">
              <option value="observer">observe</option>
              <option value="manage">manage</option>
            </select>
          </Field>
          <button type="submit" className={buttonClass.secondary} disabled={pending}>
            Share
          </button>
        </form>
      )}
    </div>
  );
}
