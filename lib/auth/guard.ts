import "server-only";
import { problem, problemFromError } from "@/lib/api/problem";
import { SLUG_PATTERN } from "@/lib/validation";

type NextAuthContext = { params: Promise<{ nextauth: string[] }> };
type Handler = (request: Request, context: NextAuthContext) => Promise<Response>;

// What next-auth serves for Credentials plus OIDC, JWT sessions; anything else it answers with a 500 or an unshaped 400.
// The credentials callback is a POST (the form); an OIDC provider's is the IdP's GET redirect.
const SERVED: Record<string, ReadonlySet<string>> = {
  GET: new Set(["providers", "session", "csrf", "signin", "signout", "error"]),
  HEAD: new Set(["providers", "session", "csrf", "signin", "signout", "error"]),
  POST: new Set(["signin", "signout", "callback", "session", "_log"]),
};
const ACTIONS = new Set(Object.values(SERVED).flatMap((s) => [...s]));
const CALLBACK_URL_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/** next-auth's own test (core/lib/assert.js): an http(s) URL, or a path; it refuses anything else with a 500. */
function isAcceptableCallbackUrl(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

function cookie(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = pair.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return rest.join("=");
      }
    }
  }
  return undefined;
}

async function isJsonObject(request: Request): Promise<boolean> {
  try {
    const body = JSON.parse(await request.text());
    return typeof body === "object" && body !== null && !Array.isArray(body);
  } catch {
    return false;
  }
}

/**
 * next-auth's route, with what it would turn into a 500 refused first as a
 * problem: an action or method it does not serve (GET on the credentials
 * callback), a callbackUrl it cannot parse (`javascript:…`, in the query or
 * its cookie), a body that is not a form.
 */
export function guardNextAuth(handler: Handler): Handler {
  return async (request, context) => {
    try {
      const [action, providerId] = (await context.params).nextauth ?? [];
      const oidcCallback = action === "callback" && providerId !== "credentials";
      if (!ACTIONS.has(action) || (oidcCallback && !SLUG_PATTERN.test(providerId ?? ""))) {
        return problem(request, 404, "not_found", "no such authentication endpoint");
      }
      if (oidcCallback && request.method !== "GET" && request.method !== "HEAD") {
        return problem(request, 405, "method_not_allowed", `${request.method} is not allowed here`, {}, { allow: "GET, HEAD" });
      }
      if (!oidcCallback && !SERVED[request.method]?.has(action)) {
        const allow = Object.keys(SERVED).filter((m) => SERVED[m].has(action));
        return problem(request, 405, "method_not_allowed", `${request.method} is not allowed here`, {}, { allow: allow.join(", ") });
      }
      const url = new URL(request.url);
      if (action === "error") {
        // The sign-in page shows the error (pages.error); next-auth would put the raw value in Location, and a NUL there is a 500.
        const value = url.searchParams.get("error") ?? "";
        const code = /^[A-Za-z0-9:_-]{1,64}$/.test(value) ? value : "Callback";
        return new Response(null, {
          status: 302,
          headers: { location: `/login?error=${encodeURIComponent(code)}`, "cache-control": "no-store" },
        });
      }
      const query = url.searchParams.get("callbackUrl");
      if (query !== null && !isAcceptableCallbackUrl(query, url.origin)) {
        return problem(request, 400, "invalid_callback_url", "callbackUrl must be a path or an http(s) URL");
      }
      for (const name of CALLBACK_URL_COOKIES) {
        const value = cookie(request, name);
        if (value !== undefined && !isAcceptableCallbackUrl(value, url.origin)) {
          return problem(
            request,
            400,
            "invalid_callback_url",
            "the callback-url cookie is not a path or an http(s) URL",
            {},
            {
              "set-cookie": `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__Secure-") ? "; Secure" : ""}`,
            },
          );
        }
      }
      if (request.method === "POST") {
        const type = request.headers.get("content-type") ?? "";
        // next-auth's client posts forms, and JSON for a session update; next-auth parses JSON itself and throws on bad JSON.
        if (/^application\/json\s*(;|$)/i.test(type)) {
          if (!(await isJsonObject(request.clone()))) return problem(request, 400, "invalid_body", "the request body is not a JSON object");
        } else if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
          return problem(request, 415, "unsupported_media_type", "the body must be an application/x-www-form-urlencoded form");
        }
      }
      return await handler(request, context);
    } catch (error) {
      return problemFromError(request, error);
    }
  };
}
