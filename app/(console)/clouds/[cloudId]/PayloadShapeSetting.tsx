"use client";

import { buttonClass } from "@/components/controls";
import { useAction } from "@/components/useAction";
import { setStrictPayloadShapeAction } from "@/lib/clouds/actions";

/**
 * A Cloud manager decides what /v1 (and plexctl) do with a payload that
 * does not look like the provider's credentials: store it with a warning
 * (the contract's promise, the default), or refuse it as the console does.
 */
export function PayloadShapeSetting(props: { cloudId: string; strict: boolean }) {
  const { pending, error, onSubmit } = useAction(setStrictPayloadShapeAction);
  return (
    <form
      // Remounted when the saved value changes, so the box shows what is stored.
      key={String(props.strict)}
      className="space-y-2 text-sm"
      onSubmit={onSubmit((fields) => ({ cloudId: props.cloudId, strict: fields.strict_payload_shape === "on" }), "Payload checking saved.")}
    >
      <label className="flex items-start gap-2 text-slate-700">
        <input
          type="checkbox"
          name="strict_payload_shape"
          className="mt-0.5"
          defaultChecked={props.strict}
          aria-describedby="strict_payload_shape-hint"
        />
        <span>Refuse unusual payloads over the API too</span>
      </label>
      <p id="strict_payload_shape-hint" className="ml-6 text-xs text-slate-500">
        The console always refuses a payload that does not look like this provider&apos;s credentials unless you tick &ldquo;I know this
        shape is unusual&rdquo;. Over the API and plexctl it is stored with a warning, as the plexsphere contract promises; ticked, they
        refuse it too (400 invalid_payload) unless the caller sets allow_unusual_shape. Changes are recorded in the audit trail.
      </p>
      <div className="flex items-center gap-3">
        <button type="submit" className={buttonClass.secondary} disabled={pending}>
          Save payload checking
        </button>
        <p aria-live="polite" className="text-xs text-red-700">
          {error}
        </p>
      </div>
    </form>
  );
}
