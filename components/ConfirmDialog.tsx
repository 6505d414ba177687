"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useId, useState } from "react";
import { buttonClass, inputClass } from "./controls";

/**
 * Asks before something is destroyed. Radix's AlertDialog gives the focus
 * trap, Escape, focus return and the alertdialog role; this names what will
 * happen and, for the worst cases, makes the person type the thing's name.
 *
 * `children` are extra fields (a reason, say); they are inside the dialog's
 * form, and `onConfirm` receives that form's data. The dialog stays open
 * while `onConfirm` runs, and closes when it resolves to anything but `false`.
 */
export function ConfirmDialog(props: {
  trigger: React.ReactNode;
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  /** When set, the confirm button stays disabled until exactly this is typed. */
  typeToConfirm?: string;
  destructive?: boolean;
  children?: React.ReactNode;
  onConfirm: (form: FormData) => Promise<unknown> | unknown;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const typedId = useId();
  const blocked = props.typeToConfirm !== undefined && typed !== props.typeToConfirm;
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        setOpen(next);
        if (!next) setTyped("");
      }}
    >
      <AlertDialog.Trigger asChild>{props.trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/50" />
        <AlertDialog.Content
          className={
            "fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 " +
            "rounded-lg bg-white p-6 shadow-xl ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700"
          }
        >
          <form
            onSubmit={async (event) => {
              event.preventDefault();
              if (blocked || busy) return;
              setBusy(true);
              try {
                const result = await props.onConfirm(new FormData(event.currentTarget));
                if (result !== false) {
                  setOpen(false);
                  setTyped("");
                }
              } finally {
                setBusy(false);
              }
            }}
            className="space-y-4"
          >
            <AlertDialog.Title className="text-lg font-semibold text-slate-900 dark:text-slate-100">{props.title}</AlertDialog.Title>
            <AlertDialog.Description asChild>
              <div className="text-sm text-slate-600 dark:text-slate-300">{props.description}</div>
            </AlertDialog.Description>
            {props.children}
            {props.typeToConfirm !== undefined && (
              <div>
                <label htmlFor={typedId} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
                  Type <span className="font-mono font-semibold">{props.typeToConfirm}</span> to confirm
                </label>
                <input
                  id={typedId}
                  autoComplete="off"
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                  className={`${inputClass} mt-1`}
                />
              </div>
            )}
            <div className="flex justify-end gap-2">
              <AlertDialog.Cancel asChild>
                <button type="button" className={buttonClass.secondary} disabled={busy}>
                  Cancel
                </button>
              </AlertDialog.Cancel>
              <button type="submit" disabled={blocked || busy} className={props.destructive ? buttonClass.danger : buttonClass.primary}>
                {busy ? "Working…" : props.confirmLabel}
              </button>
            </div>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
