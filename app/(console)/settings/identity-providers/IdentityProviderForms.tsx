"use client";

import { useRef, useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Field } from "@/components/Field";
import { Notice, buttonClass, inputClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { createIdpBindingAction, deleteIdpBindingAction, setIdpBindingStatusAction, updateIdpBindingAction } from "@/lib/sso/actions";

export interface BindingView {
  id: string;
  alias: string;
  issuer: string;
  clientId: string;
  scopes: string;
  emailClaim: string;
  nameClaim: string;
  groupsClaim: string;
  jitMode: "allow" | "deny" | "invited" | "domains";
  jitDomains: string;
  active: boolean;
  callbackUrl: string;
}

const JIT_LABELS: Record<BindingView["jitMode"], string> = {
  allow: "Anyone with a verified email",
  domains: "Verified emails at these domains",
  invited: "Only invited people",
  deny: "Nobody new (existing accounts only)",
};

function formValues(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    alias: text("alias"),
    issuer: text("issuer"),
    clientId: text("clientId"),
    clientSecret: text("clientSecret"),
    scopes: text("scopes"),
    emailClaim: text("emailClaim"),
    nameClaim: text("nameClaim"),
    groupsClaim: text("groupsClaim"),
    // The action checks it against the modes; the select offers only those.
    jitMode: text("jitMode") as BindingView["jitMode"],
    jitDomains: text("jitDomains"),
  };
}

/** The fields of one binding; the client secret is write-only: never filled in, and emptied after each submit. */
function BindingFields(props: { prefix: string; binding?: BindingView }) {
  const b = props.binding;
  const id = (name: string) => `${props.prefix}-${name}`;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field id={id("alias")} label="Alias" hint="Shown as “Continue with <alias>”; lowercase letters, digits and dashes.">
        <input id={id("alias")} name="alias" className={inputClass} defaultValue={b?.alias} required />
      </Field>
      <Field
        id={id("issuer")}
        label="Issuer URL"
        hint={b ? "Fixed once created." : "Discovery is read from <issuer>/.well-known/openid-configuration."}
      >
        <input id={id("issuer")} name="issuer" className={inputClass} defaultValue={b?.issuer} readOnly={Boolean(b)} required />
      </Field>
      <Field id={id("clientId")} label="Client id">
        <input id={id("clientId")} name="clientId" className={inputClass} defaultValue={b?.clientId} required />
      </Field>
      <Field
        id={id("clientSecret")}
        label="Client secret"
        hint={b ? "Leave empty to keep the stored secret." : "Stored in the secret store; never shown again."}
      >
        <input id={id("clientSecret")} name="clientSecret" type="password" autoComplete="off" className={inputClass} required={!b} />
      </Field>
      <Field id={id("scopes")} label="Scopes" hint="Space-separated; must include openid.">
        <input id={id("scopes")} name="scopes" className={inputClass} defaultValue={b?.scopes ?? "openid email profile"} />
      </Field>
      <Field id={id("jitMode")} label="Who may be created at first sign-in">
        <select id={id("jitMode")} name="jitMode" className={inputClass} defaultValue={b?.jitMode ?? "invited"}>
          {Object.entries(JIT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field id={id("jitDomains")} label="Email domains" hint="For “Verified emails at these domains”: comma-separated, e.g. example.com.">
        <input id={id("jitDomains")} name="jitDomains" className={inputClass} defaultValue={b?.jitDomains} />
      </Field>
      <Field id={id("emailClaim")} label="Email claim">
        <input id={id("emailClaim")} name="emailClaim" className={inputClass} defaultValue={b?.emailClaim ?? "email"} />
      </Field>
      <Field id={id("nameClaim")} label="Name claim">
        <input id={id("nameClaim")} name="nameClaim" className={inputClass} defaultValue={b?.nameClaim ?? "name"} />
      </Field>
      <Field id={id("groupsClaim")} label="Groups claim">
        <input id={id("groupsClaim")} name="groupsClaim" className={inputClass} defaultValue={b?.groupsClaim ?? "groups"} />
      </Field>
    </div>
  );
}

export function NewBindingForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const { pending, error, run } = useAction(createIdpBindingAction, { onSuccess: () => formRef.current?.reset() });
  return (
    <form
      ref={formRef}
      method="post"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const values = formValues(new FormData(event.currentTarget));
        // The secret leaves the page with this submit, whatever the answer.
        const secret = event.currentTarget.elements.namedItem("clientSecret");
        if (secret instanceof HTMLInputElement) secret.value = "";
        run(values, `Identity provider ${values.alias} added.`);
      }}
    >
      {error && (
        <Notice tone="error" role="alert">
          {error}
        </Notice>
      )}
      <BindingFields prefix="new" />
      <button type="submit" className={buttonClass.primary} disabled={pending}>
        {pending ? "Adding…" : "Add provider"}
      </button>
    </form>
  );
}

export function BindingRow({ binding }: { binding: BindingView }) {
  const [editing, setEditing] = useState(false);
  const status = useAction(setIdpBindingStatusAction);
  const remove = useAction(deleteIdpBindingAction);
  const update = useAction(updateIdpBindingAction, { onSuccess: () => setEditing(false) });
  const pending = status.pending || remove.pending || update.pending;
  const error = status.error ?? remove.error ?? update.error;
  return (
    <li className="py-4" data-binding-alias={binding.alias}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="font-medium text-slate-900">
            {binding.alias}{" "}
            <span
              className={`ml-2 rounded px-1.5 py-0.5 text-xs ${
                binding.active
                  ? "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
                  : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"
              }`}
            >
              {binding.active ? "Active" : "Inactive"}
            </span>
          </p>
          <p className="text-xs text-slate-600">
            {binding.issuer} · {JIT_LABELS[binding.jitMode]}
            {binding.jitMode === "domains" ? `: ${binding.jitDomains}` : ""}
          </p>
          <p className="text-xs text-slate-500">
            Redirect URI to register at the provider: <code className="font-mono">{binding.callbackUrl}</code>
          </p>
        </div>
        <div className="flex gap-2">
          <button type="button" className={buttonClass.secondary} onClick={() => setEditing((v) => !v)}>
            {editing ? "Close" : "Edit"}
          </button>
          <button
            type="button"
            className={buttonClass.secondary}
            disabled={pending}
            onClick={() =>
              status.run({ id: binding.id, active: !binding.active }, `${binding.alias} ${binding.active ? "deactivated" : "activated"}.`)
            }
          >
            {binding.active ? "Deactivate" : "Activate"}
          </button>
          <ConfirmDialog
            trigger={
              <button type="button" className={buttonClass.secondary}>
                Delete
              </button>
            }
            title={`Delete ${binding.alias}?`}
            description="People can no longer sign in through it, its IdP groups are removed, and its client secret is destroyed. Accounts it created stay."
            confirmLabel="Delete provider"
            destructive
            onConfirm={() => remove.run({ id: binding.id }, `${binding.alias} deleted.`)}
          />
        </div>
      </div>
      {error && (
        <div className="mt-2">
          <Notice tone="error" role="alert">
            {error}
          </Notice>
        </div>
      )}
      {editing && (
        <form
          method="post"
          className="mt-4 space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            const values = formValues(new FormData(event.currentTarget));
            const secret = event.currentTarget.elements.namedItem("clientSecret");
            if (secret instanceof HTMLInputElement) secret.value = "";
            update.run({ id: binding.id, ...values }, `${values.alias} saved.`);
          }}
        >
          <BindingFields prefix={binding.id} binding={binding} />
          <button type="submit" className={buttonClass.primary} disabled={pending}>
            Save
          </button>
        </form>
      )}
    </li>
  );
}
