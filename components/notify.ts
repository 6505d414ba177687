"use client";

import { toast } from "sonner";

/**
 * The one way a page tells someone that something happened (created,
 * issued, rotated, revoked, approved). Messages name the thing, never a secret.
 */
export const notify = {
  success: (message: string) => toast.success(message),
  error: (message: string) => toast.error(message),
};
