"use client";

import { useSyncExternalStore } from "react";

const subscribeNever = () => () => {};

/**
 * False while the server renders and while the browser hydrates what it
 * sent; true from then on. A form disabled until it is true can neither lose
 * what was typed to its hydration nor be submitted by the browser itself
 * (which would put its fields in the URL).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}
