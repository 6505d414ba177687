"use client";

import { buttonClass, inputClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { assignCloudAction } from "@/lib/projects/actions";

/** A Cloud manager makes the Cloud usable in one more Project. */
export function UsableInProject(props: { cloudId: string; projects: { id: string; name: string }[] }) {
  const { pending, error, onSubmit } = useAction(assignCloudAction);
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={onSubmit(
        (fields) => ({ cloudId: props.cloudId, project_id: fields.project_id ?? "" }),
        "The Cloud is usable in that Project.",
      )}
    >
      <label htmlFor="project_id" className="sr-only">
        Project
      </label>
      <select id="project_id" name="project_id" className={`${inputClass} max-w-xs`}>
        {props.projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <button type="submit" className={buttonClass.secondary} disabled={pending}>
        Make usable
      </button>
      <p aria-live="polite" className="text-xs text-red-700">
        {error}
      </p>
    </form>
  );
}
