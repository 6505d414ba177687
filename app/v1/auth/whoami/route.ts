import { CSRF_COOKIE } from "@/lib/api/authenticate";
import { DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import { apiRoute, json, methodsNotAllowed, publicRoute } from "@/lib/api/route";

export const GET = apiRoute(async ({ caller }) =>
  json({
    principal_type: "user",
    // Every account signs in to the console's one Domain; platform rights are relations, not a separate session kind.
    principal_scope: "domain",
    subject: caller.user.id,
    domain_id: DEFAULT_DOMAIN_ID,
    email: caller.user.email,
    amr: [caller.via === "bearer" ? "token" : "pwd"],
  }),
);

// Session cookies next-auth may have set, under its plain and its Secure-prefixed names.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token", CSRF_COOKIE];

/**
 * Sign-out: 204 whatever the caller holds, clearing the session cookie. The
 * session is a signed JWT, so this ends it in this browser; it does not
 * revoke a copy of the cookie taken elsewhere (sessions last 8 hours).
 */
export const DELETE = publicRoute(async (request) => {
  const secure = new URL(request.url).protocol === "https:";
  const headers = new Headers();
  for (const name of SESSION_COOKIES) {
    const prefixed = name.startsWith("__Secure-");
    if (prefixed && !secure) continue;
    headers.append("set-cookie", `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${prefixed || secure ? "; Secure" : ""}`);
  }
  return new Response(null, { status: 204, headers });
});

export const { POST, PUT, PATCH } = methodsNotAllowed(["GET", "DELETE"]);
