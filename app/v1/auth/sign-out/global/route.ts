import { CSRF_COOKIE } from "@/lib/api/authenticate";
import { methodsNotAllowed, noContent, route } from "@/lib/api/route";
import { deny } from "@/lib/audit/service";
import { sessionCookieDeletions } from "@/lib/auth/session";
import { signOutEverywhere } from "@/lib/auth/sessions";

/**
 * "Sign out everywhere": every console session of the caller ends, this one
 * included. Only an interactive session may ask (with the CSRF header, like
 * any cookie-authenticated write): a leaked API token must not be able to
 * throw its owner out of every browser, so a bearer caller is refused (403,
 * recorded). Only an accepted request clears the browser's cookies: a
 * refusal (another site's form, a missing CSRF header) leaves them alone, or
 * any page could sign its visitors out of the console.
 */
const signOutGlobal = route({
  authorize: async (caller) => {
    if (caller.via === "bearer")
      throw await deny(caller.user.id, "auth.sign_out_global", { type: "api_token", id: caller.token.id }, "api_token_principal");
    return caller.user;
  },
  handle: async ({ permit }) => {
    await signOutEverywhere(permit);
    return noContent({ "cache-control": "no-store" });
  },
});

/** The cookies are cleared after the declaration's answer, so nothing it adds (a fresh CSRF cookie) can outlive the sign-out. */
export async function POST(request: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> {
  const response = await signOutGlobal(request, context);
  if (!response.ok) return response;
  const headers = new Headers(response.headers);
  for (const deletion of sessionCookieDeletions()) headers.append("set-cookie", deletion);
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  headers.append("set-cookie", `${CSRF_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict${secure}`);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
