"use client";

import {
  useFieldArray,
  type ArrayPath,
  type Control,
  type FieldArray,
  type FieldErrors,
  type FieldValues,
  type Path,
  type UseFormRegister,
} from "react-hook-form";
import { buttonClass, inputClass } from "./controls";

/**
 * Editable key = value rows (Cloud endpoint metadata, credential key-values).
 * With `secret`, values are masked and nothing is offered to autofill.
 */
export function KeyValueRowsField<T extends FieldValues, C, O extends FieldValues>(props: {
  name: ArrayPath<T>;
  label: string;
  hint: string;
  control: Control<T, C, O>;
  register: UseFormRegister<T>;
  errors: FieldErrors<T>;
  secret?: boolean;
}) {
  const { fields, append, remove } = useFieldArray<T, ArrayPath<T>, "id", O>({ control: props.control, name: props.name });
  const rowErrors = props.errors[props.name] as unknown as
    | ({ key?: { message?: string }; value?: { message?: string } } | undefined)[]
    | { message?: string }
    | undefined;
  const listError = rowErrors && !Array.isArray(rowErrors) ? rowErrors.message : undefined;

  const hintId = `${props.name}-hint`;
  const listErrorId = `${props.name}-error`;
  return (
    <fieldset aria-describedby={`${hintId} ${listErrorId}`} className="min-w-0">
      <legend className="text-sm font-medium text-slate-800">{props.label}</legend>
      <p id={hintId} className="mt-0.5 text-xs text-slate-600">
        {props.hint}
      </p>
      <div className="mt-2 space-y-2">
        {fields.map((field, index) => {
          const errors = Array.isArray(rowErrors) ? rowErrors[index] : undefined;
          const keyId = `${props.name}-${index}-key`;
          const valueId = `${props.name}-${index}-value`;
          return (
            <div key={field.id} className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] items-start gap-2">
              <div>
                <label htmlFor={keyId} className="sr-only">{`${props.label} row ${index + 1} key`}</label>
                <input
                  id={keyId}
                  placeholder="key"
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={Boolean(errors?.key)}
                  aria-describedby={`${keyId}-error`}
                  className={inputClass}
                  {...props.register(`${props.name}.${index}.key` as Path<T>)}
                />
                <p id={`${keyId}-error`} aria-live="polite" className="mt-1 text-xs font-medium text-red-700 empty:mt-0">
                  {errors?.key?.message}
                </p>
              </div>
              <div>
                <label htmlFor={valueId} className="sr-only">{`${props.label} row ${index + 1} value`}</label>
                <input
                  id={valueId}
                  placeholder="value"
                  type={props.secret ? "password" : "text"}
                  autoComplete={props.secret ? "new-password" : "off"}
                  spellCheck={false}
                  data-1p-ignore
                  data-lpignore="true"
                  aria-invalid={Boolean(errors?.value)}
                  aria-describedby={`${valueId}-error`}
                  className={inputClass}
                  {...props.register(`${props.name}.${index}.value` as Path<T>)}
                />
                <p id={`${valueId}-error`} aria-live="polite" className="mt-1 text-xs font-medium text-red-700 empty:mt-0">
                  {errors?.value?.message}
                </p>
              </div>
              <button type="button" className={buttonClass.ghost} onClick={() => remove(index)} aria-label={`Remove row ${index + 1}`}>
                Remove
              </button>
            </div>
          );
        })}
      </div>
      <p id={listErrorId} aria-live="polite" className="mt-1 text-xs font-medium text-red-700 empty:mt-0">
        {listError}
      </p>
      <button
        type="button"
        className={`${buttonClass.secondary} mt-2`}
        onClick={() => append({ key: "", value: "" } as FieldArray<T, ArrayPath<T>>)}
      >
        Add {props.secret ? "key-value" : "entry"}
      </button>
    </fieldset>
  );
}
