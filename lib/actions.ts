import "server-only";
import { randomUUID } from "node:crypto";
import { isDomainError, type FieldErrors } from "@/lib/errors";
import { log } from "@/lib/log";

/** What a server action answers when it did not succeed (success redirects). */
export interface FormFailure {
  ok: false;
  formError?: string;
  fieldErrors: FieldErrors;
}

/**
 * The one place an action's error becomes something a user sees. Expected
 * errors keep their own (fixed, value-free) message; anything else is logged
 * by name with a correlation id and answered generically.
 */
export function formFailure(error: unknown, action: string): FormFailure {
  if (isDomainError(error)) {
    const hasFields = Object.keys(error.fieldErrors).length > 0;
    return { ok: false, fieldErrors: error.fieldErrors, formError: hasFields ? undefined : error.message };
  }
  const correlationId = randomUUID();
  log.error("server_action.failed", {
    action,
    correlation_id: correlationId,
    error: error instanceof Error ? error.name : typeof error,
  });
  return { ok: false, fieldErrors: {}, formError: `Something went wrong on our side (reference ${correlationId}). Nothing was saved.` };
}
