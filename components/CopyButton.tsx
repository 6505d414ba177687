"use client";

import { useState } from "react";
import { buttonClass } from "./ui";

/** Copies a non-secret value (an id) to the clipboard. */
export function CopyButton(props: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={buttonClass.ghost}
      aria-label={props.label}
      onClick={async () => {
        await navigator.clipboard.writeText(props.value);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}
