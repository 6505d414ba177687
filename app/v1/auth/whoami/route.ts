import { CSRF_COOKIE } from "@/lib/api/authenticate";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import { json, methodsNotAllowed, noContent, publicRoute, route, signedIn } from "@/lib/api/route";
import { signOut } from "@/lib/auth/session";
import { problem } from "@/lib/api/problem";
import { fromForeignPage } from "@/lib/http/origin";

export const GET = route({
  authorize: signedIn,
  handle: async ({ permit, caller }) =>
    json({
      principal_type: "user",
      // Every account signs in to the console's one Domain; platform rights are relations, not a separate session kind.
      principal_scope: "domain",
      subject: permit.id,
      domain_id: DEFAULT_DOMAIN_ID,
      email: permit.email,
      amr: [caller.via === "bearer" ? "token" : "pwd"],
    }),
});

/**
 * Sign-out: 204 whatever the caller holds. The session is ended on the
 * server, so a copy of the cookie taken elsewhere stops working too, and
 * the cookie is cleared under both of next-auth's names. A browser page of
 * another origin gets 403 and clears nothing.
 */
export const DELETE = publicRoute({
  handle: async ({ request }) => {
    if (fromForeignPage(request))
      return problem(request, 403, "csrf_origin_mismatch", "signing out must come from the console's own origin");
    const response = noContent();
    for (const deletion of await signOut(request)) response.headers.append("set-cookie", deletion);
    const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
    response.headers.append("set-cookie", `${CSRF_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict${secure}`);
    return response;
  },
});

export const { POST, PUT, PATCH } = methodsNotAllowed(["GET", "DELETE"]);
