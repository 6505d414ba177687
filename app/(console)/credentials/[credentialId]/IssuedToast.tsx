"use client";

import { useEffect, useRef } from "react";
import { notify } from "@/components/notify";

/** The toast after issue: the action redirected here with `?issued=1`. Shown once per arrival. */
export function IssuedToast(props: { name: string }) {
  const shown = useRef(false);
  useEffect(() => {
    if (shown.current) return;
    shown.current = true;
    notify.success(`Issued ${props.name}.`);
  }, [props.name]);
  return null;
}
