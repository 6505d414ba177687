import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { isDomainError, type FieldErrors } from "@/lib/errors";
import { log } from "@/lib/log";

/**
 * The one entry for every server action: the request must come from the
 * console's own pages, then the caller must be signed in. Next refuses an
 * action whose Origin names another host, but lets one with no Origin at
 * all through; a cookie-carrying request from elsewhere must not run an
 * action either way. Browsers send `Sec-Fetch-Site` (or at least Origin)
 * on every POST, so only forged or foreign requests are turned away, and
 * they are answered as if the action did not exist.
 */
export async function requireActionUser(): Promise<SessionUser> {
  const request = await headers();
  if (!fromConsole(request)) {
    log.warn("server_action.cross_origin_refused", { sec_fetch_site: request.get("sec-fetch-site")?.slice(0, 32) ?? null });
    notFound();
  }
  return requireUser();
}

function fromConsole(request: Headers): boolean {
  const site = request.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = request.get("origin");
  if (!origin || origin === "null") return false;
  let claimed: URL;
  try {
    claimed = new URL(origin);
  } catch {
    return false;
  }
  const configured = env().publicUrl;
  if (configured) return claimed.origin === new URL(configured).origin;
  return claimed.host === request.get("host");
}

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
