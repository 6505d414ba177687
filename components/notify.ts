"use client";

/**
 * The one way a page tells someone that something happened (created,
 * issued, rotated, revoked, approved). Messages name the thing, never a secret.
 *
 * sonner is fetched with the first notice rather than with the page: the
 * toaster itself mounts after hydration (app/providers.tsx), and sonner
 * hands a toast made before that to the toaster once it subscribes.
 */
function toast(kind: "success" | "error", message: string) {
  // A notice that cannot be fetched (offline) is dropped; the page itself shows the outcome.
  void import("sonner").then(({ toast }) => toast[kind](message)).catch(() => {});
}

export const notify = {
  success: (message: string) => toast("success", message),
  error: (message: string) => toast("error", message),
};
