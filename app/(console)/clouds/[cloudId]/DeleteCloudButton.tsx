"use client";

import { ConfirmDialog } from "@/components/ConfirmDialog";
import { buttonClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { deleteCloudAction } from "@/lib/clouds/actions";

/** Deleting a Cloud cannot be undone: it asks for the Cloud's slug first, and is refused while credentials remain. */
export function DeleteCloudButton(props: { cloudId: string; displayName: string; slug: string }) {
  const { pending, error, run } = useAction(deleteCloudAction);
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      )}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.danger} disabled={pending}>
            Delete Cloud
          </button>
        }
        title={`Delete ${props.displayName}?`}
        description={
          "The Cloud, who it is shared with and its reminder settings are removed for good. " +
          "A Cloud that still holds credentials cannot be deleted: revoke them first."
        }
        confirmLabel="Delete Cloud"
        typeToConfirm={props.slug}
        destructive
        onConfirm={() => run({ cloudId: props.cloudId })}
      />
    </span>
  );
}
