/** A labelled form control with its hint and its error message, wired for screen readers. */
export function Field(props: { id: string; label: string; hint?: React.ReactNode; error?: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <div className="mt-1.5">{props.children}</div>
      {props.hint && !props.error && (
        <p id={`${props.id}-hint`} className="mt-1 text-xs text-slate-500">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} className="mt-1 text-xs font-medium text-red-600" data-field-error={props.id}>
          {props.error}
        </p>
      )}
    </div>
  );
}

export function describedBy(id: string, error?: string) {
  return error ? `${id}-error` : `${id}-hint`;
}
