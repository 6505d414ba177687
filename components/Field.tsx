import { Children, cloneElement, isValidElement } from "react";

/**
 * A labelled form control with its hint and its error message, wired for
 * screen readers: the control (the single child) is described by the hint
 * and the error, and marked invalid while there is an error. The error sits
 * in a polite live region that is always there, so a message that appears
 * after typing or submitting is read out.
 */
export function Field(props: { id: string; label: string; hint?: React.ReactNode; error?: string; children: React.ReactNode }) {
  const ids = describedBy(props.id, props.error, Boolean(props.hint));
  const only = Children.count(props.children) === 1 ? Children.toArray(props.children)[0] : undefined;
  const control = isValidElement<Record<string, unknown>>(only)
    ? cloneElement(only, { "aria-describedby": ids, ...(props.error ? { "aria-invalid": true } : {}) })
    : props.children;
  return (
    <div className="min-w-0">
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <div className="mt-1.5">{control}</div>
      {props.hint && (
        <p id={`${props.id}-hint`} className="mt-1 text-xs text-slate-600">
          {props.hint}
        </p>
      )}
      <p
        id={`${props.id}-error`}
        aria-live="polite"
        className="mt-1 text-xs font-medium text-red-700 empty:mt-0"
        data-field-error={props.id}
      >
        {props.error}
      </p>
    </div>
  );
}

/** The ids that describe a Field's control: its hint (when it has one) and its error region. */
export function describedBy(id: string, _error?: string, hasHint = true) {
  return hasHint ? `${id}-hint ${id}-error` : `${id}-error`;
}

/** After a refused submit: focus the form's first invalid control, so the person lands on what to fix. */
export function focusFirstInvalid(form: HTMLFormElement | null | undefined, framesLeft = 30) {
  // React commits the errors that mark the controls invalid a frame or more later; look until they are there.
  requestAnimationFrame(() => {
    const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else if (framesLeft > 0) focusFirstInvalid(form, framesLeft - 1);
  });
}
