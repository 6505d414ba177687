"use client";

import { Field } from "@/components/Field";
import { useServerAction } from "@/components/useServerAction";
import { Notice, buttonClass, inputClass } from "@/components/ui";
import { addMemberAction, createProjectAction, removeMemberAction, requestAssignmentAction } from "@/lib/projects/actions";

function ErrorNotice({ error }: { error?: string }) {
  return error ? (
    <Notice tone="error" role="status">
      {error}
    </Notice>
  ) : null;
}

export function NewProjectForm() {
  const { pending, error, run } = useServerAction();
  return (
    <form className="space-y-4" action={(form) => run(() => createProjectAction({ name: form.get("name"), slug: form.get("slug") }))}>
      <ErrorNotice error={error} />
      <Field id="project_name" label="Name">
        <input id="project_name" name="name" className={inputClass} />
      </Field>
      <Field id="project_slug" label="Slug">
        <input id="project_slug" name="slug" className={`${inputClass} font-mono`} />
      </Field>
      <button type="submit" className={buttonClass.primary} disabled={pending}>
        Create Project
      </button>
    </form>
  );
}

export function AddMemberForm(props: { projectId: string; groups?: { id: string; displayName: string }[] }) {
  const { pending, error, run } = useServerAction();
  return (
    <form
      className="space-y-3"
      action={(form) => run(() => addMemberAction(props.projectId, { email: form.get("email"), relation: form.get("relation"), group: form.get("group") }))}
    >
      <ErrorNotice error={error} />
      <div className="flex flex-wrap items-end gap-3">
        <Field id="member_email" label="Email">
          <input id="member_email" name="email" type="email" className={inputClass} />
        </Field>
        {props.groups && props.groups.length > 0 && (
          <Field id="member_group" label="or a group">
            <select id="member_group" name="group" className={inputClass} defaultValue="">
              <option value="">(none)</option>
              {props.groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.displayName}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="member_relation" label="Role">
          <select id="member_relation" name="relation" className={inputClass} defaultValue="deploy">
            <option value="deploy">deploy (may request credentials)</option>
            <option value="manage">manage (owner: decides requests)</option>
          </select>
        </Field>
        <button type="submit" className={buttonClass.secondary} disabled={pending}>
          Add member
        </button>
      </div>
    </form>
  );
}

export function RemoveMemberButton(props: { projectId: string; userId: string; relation: "manage" | "deploy"; email: string; subjectType?: "user" | "group" }) {
  const { pending, run } = useServerAction();
  return (
    <button
      type="button"
      className={buttonClass.ghost}
      disabled={pending}
      aria-label={`Remove ${props.email} (${props.relation})`}
      onClick={() => run(() => removeMemberAction(props.projectId, props.userId, props.relation, props.subjectType ?? "user"))}
    >
      Remove
    </button>
  );
}

export function RequestButton(props: { projectId: string; credentialId: string; name: string }) {
  const { pending, error, run } = useServerAction();
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        className={buttonClass.secondary}
        disabled={pending}
        aria-label={`Request ${props.name}`}
        onClick={() => run(() => requestAssignmentAction(props.projectId, props.credentialId))}
      >
        Request
      </button>
      {error && <span className="text-xs text-red-700">{error}</span>}
    </span>
  );
}
