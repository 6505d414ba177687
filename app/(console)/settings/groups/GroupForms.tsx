"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { addGroupMemberAction, createGroupAction, deleteGroupAction, removeGroupMemberAction } from "@/lib/identity/actions";

export function CreateGroupForm(props: { bindings: { id: string; alias: string }[] }) {
  const { pending, error, onSubmit } = useAction(createGroupAction);
  const [source, setSource] = useState<"manual" | "idp">("manual");
  return (
    <div className="space-y-4">
      {error && (
        <Notice tone="error" role="status">
          {error}
        </Notice>
      )}
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={onSubmit(
          (fields) => ({
            slug: fields.slug,
            displayName: fields.display_name,
            source,
            idpBindingId: fields.idp_binding_id,
            idpClaimValue: fields.idp_claim_value,
          }),
          "Group created.",
        )}
      >
        <Field id="group_name" label="Name">
          <input id="group_name" name="display_name" required className={inputClass} />
        </Field>
        <Field id="group_slug" label="Slug">
          <input id="group_slug" name="slug" required pattern="[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?" className={inputClass} />
        </Field>
        <Field id="group_source" label="Kind">
          <select
            id="group_source"
            className={inputClass}
            value={source}
            onChange={(e) => setSource(e.target.value === "idp" ? "idp" : "manual")}
          >
            <option value="manual">Local (members added here)</option>
            <option value="idp" disabled={props.bindings.length === 0}>
              From an identity provider&apos;s groups claim
            </option>
          </select>
        </Field>
        {source === "idp" && (
          <>
            <Field id="group_binding" label="Identity provider">
              <select id="group_binding" name="idp_binding_id" className={inputClass}>
                {props.bindings.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.alias}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="group_claim" label="Claim value">
              <input id="group_claim" name="idp_claim_value" required className={inputClass} />
            </Field>
          </>
        )}
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          Create group
        </button>
      </form>
    </div>
  );
}

export function AddMemberForm(props: { groupId: string }) {
  const { pending, error, onSubmit } = useAction(addGroupMemberAction);
  const id = `member_${props.groupId}`;
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={onSubmit((fields) => ({ groupId: props.groupId, email: fields.email }), "Member added.")}
    >
      <Field id={id} label="Add member (email)" error={error}>
        <input id={id} name="email" type="email" required className={inputClass} />
      </Field>
      <button type="submit" className={buttonClass.secondary} disabled={pending}>
        Add
      </button>
    </form>
  );
}

export function RemoveMemberButton(props: { groupId: string; userId: string; email: string; groupName: string }) {
  const { pending, run } = useAction(removeGroupMemberAction);
  return (
    <ConfirmDialog
      trigger={
        <button type="button" className={buttonClass.ghost} disabled={pending} aria-label={`Remove ${props.email} from ${props.groupName}`}>
          Remove
        </button>
      }
      title={`Remove ${props.email} from ${props.groupName}?`}
      description="They lose what the group grants at their next request."
      confirmLabel="Remove"
      destructive
      onConfirm={() => run({ groupId: props.groupId, userId: props.userId }, "Member removed.")}
    />
  );
}

export function DeleteGroupButton(props: { groupId: string; name: string }) {
  const { pending, error, run } = useAction(deleteGroupAction);
  return (
    <span className="inline-flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <ConfirmDialog
        trigger={
          <button type="button" className={buttonClass.ghost} disabled={pending} aria-label={`Delete group ${props.name}`}>
            Delete group
          </button>
        }
        title={`Delete the group ${props.name}?`}
        description="Its memberships and everything shared with it are removed; its members lose that access at once."
        confirmLabel="Delete"
        typeToConfirm={props.name}
        destructive
        onConfirm={() => run({ groupId: props.groupId }, "Group deleted.")}
      />
    </span>
  );
}
