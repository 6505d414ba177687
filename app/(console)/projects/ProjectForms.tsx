"use client";

import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Field } from "@/components/Field";
import { useAction } from "@/components/useAction";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { requestAssignmentAction } from "@/lib/assignments/actions";
import { addMemberAction, createProjectAction, removeMemberAction, requestCloudAction } from "@/lib/projects/actions";

function ErrorNotice({ error }: { error?: string }) {
  return error ? (
    <Notice tone="error" role="status">
      {error}
    </Notice>
  ) : null;
}

export function NewProjectForm() {
  const { pending, formError, fieldErrors, onSubmit } = useAction(createProjectAction);
  return (
    <form className="space-y-4" noValidate onSubmit={onSubmit((fields) => ({ name: fields.name ?? "", slug: fields.slug ?? "" }))}>
      <ErrorNotice error={formError(["name", "slug"])} />
      <Field id="project_name" label="Name" error={fieldErrors.name}>
        <input id="project_name" name="name" className={inputClass} />
      </Field>
      <Field id="project_slug" label="Slug" hint="Lowercase letters, digits and hyphens." error={fieldErrors.slug}>
        <input id="project_slug" name="slug" autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} />
      </Field>
      <button type="submit" className={buttonClass.primary} disabled={pending}>
        {pending ? "Creating…" : "Create Project"}
      </button>
    </form>
  );
}

export function AddMemberForm(props: { projectId: string; groups?: { id: string; displayName: string }[] }) {
  const { pending, formError, fieldErrors, onSubmit } = useAction(addMemberAction);
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={onSubmit(
        (fields) => ({
          projectId: props.projectId,
          email: fields.email,
          relation: fields.relation as "manage" | "deploy",
          group: fields.group,
        }),
        "Member added.",
      )}
    >
      <ErrorNotice error={formError(["email", "relation", "group"])} />
      <div className="flex flex-wrap items-end gap-3">
        <Field id="member_email" label="Email" error={fieldErrors.email}>
          <input id="member_email" name="email" type="email" className={inputClass} />
        </Field>
        {props.groups && props.groups.length > 0 && (
          <Field id="member_group" label="or a group" error={fieldErrors.group}>
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
        <Field id="member_relation" label="Role" error={fieldErrors.relation}>
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

export function RemoveMemberButton(props: {
  projectId: string;
  userId: string;
  relation: "manage" | "deploy";
  email: string;
  subjectType?: "user" | "group";
}) {
  const { pending, error, run } = useAction(removeMemberAction);
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.ghost} disabled={pending} aria-label={`Remove ${props.email} (${props.relation})`}>
            Remove
          </button>
        }
        title={`Remove ${props.email}?`}
        description={`${props.email} loses the ${props.relation} role in this Project.`}
        confirmLabel="Remove member"
        destructive
        onConfirm={() =>
          run(
            { projectId: props.projectId, subjectId: props.userId, relation: props.relation, subjectType: props.subjectType ?? "user" },
            "Member removed.",
          )
        }
      />
    </span>
  );
}

export function RequestButton(props: { projectId: string; credentialId: string; name: string }) {
  const { pending, error, run } = useAction(requestAssignmentAction);
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        className={buttonClass.secondary}
        disabled={pending}
        aria-label={`Request ${props.name}`}
        aria-busy={pending}
        onClick={() =>
          run(
            { projectId: props.projectId, cloudCredentialId: props.credentialId },
            `Requested ${props.name}; someone who owns the Project decides.`,
          )
        }
      >
        {pending ? "Requesting…" : "Request"}
      </button>
      {error && <span className="text-xs text-red-700">{error}</span>}
    </span>
  );
}

/** Ask to use a Cloud in the Project, by the id its manager shares; the manager decides on the Approvals page. */
export function RequestCloudForm(props: { projectId: string }) {
  const { pending, formError, fieldErrors, onSubmit } = useAction(requestCloudAction);
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={onSubmit((fields) => ({ projectId: props.projectId, cloud_id: (fields.cloud_id ?? "").trim() }), "Cloud requested.")}
    >
      <ErrorNotice error={formError(["cloud_id"])} />
      <div className="flex flex-wrap items-end gap-3">
        <Field
          id="request_cloud_id"
          label="Cloud id"
          hint="The Cloud's manager shares it; they decide your request."
          error={fieldErrors.cloud_id}
        >
          <input id="request_cloud_id" name="cloud_id" autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} />
        </Field>
        <button type="submit" className={buttonClass.secondary} disabled={pending}>
          Request Cloud
        </button>
      </div>
    </form>
  );
}
