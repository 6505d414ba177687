import "server-only";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// Apart from lib/actions.ts so that services using formFailure do not load next/navigation.
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
  await requireConsoleRequest();
  return requireUser();
}

/** The origin half of requireActionUser, for the few actions a signed-out person runs (accepting an invitation). */
export async function requireConsoleRequest(): Promise<void> {
  const request = await headers();
  if (!fromConsole(request)) {
    log.warn("server_action.cross_origin_refused", { sec_fetch_site: request.get("sec-fetch-site")?.slice(0, 32) ?? null });
    notFound();
  }
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
