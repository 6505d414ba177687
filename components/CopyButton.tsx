"use client";

import { Check, Copy } from "lucide-react";
import { useRef, useState } from "react";
import { notify } from "./notify";

/**
 * Copies a non-secret value (an id) to the clipboard. `label` names what
 * (e.g. "Copy credential id"); success is announced through a polite live
 * region next to the button, so screen readers hear "Copied".
 */
export function CopyButton(props: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  return (
    <span className="inline-flex items-center">
      <button
        type="button"
        className={
          "inline-flex shrink-0 items-center gap-1 rounded px-1.5 py-1 text-xs text-slate-600 " +
          "hover:bg-slate-100 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 " +
          "focus-visible:outline-indigo-600"
        }
        aria-label={props.label}
        title={props.label}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(props.value);
          } catch {
            notify.error("Could not copy: the browser refused access to the clipboard.");
            return;
          }
          setCopied(true);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setCopied(false), 2000);
        }}
      >
        {copied ? <Check aria-hidden="true" className="h-3.5 w-3.5" /> : <Copy aria-hidden="true" className="h-3.5 w-3.5" />}
        <span aria-hidden="true">{copied ? "Copied" : "Copy"}</span>
      </button>
      <span role="status" className="sr-only">
        {copied ? "Copied" : ""}
      </span>
    </span>
  );
}

/** An id in monospace that wraps anywhere on a narrow screen, with a button that copies it. */
export function IdWithCopy(props: { id: string; label: string; testId?: string }) {
  return (
    <span className="inline-flex max-w-full items-center gap-1">
      <span className="min-w-0 break-all font-mono text-xs" data-testid={props.testId}>
        {props.id}
      </span>
      <CopyButton value={props.id} label={props.label} />
    </span>
  );
}
