import "server-only";
import { API_HEADERS } from "@/lib/http/security-headers";
import type { Preauthorization } from "@/lib/authz/service";
import { authenticate, csrfCookieFor, csrfRefusal, type ApiCaller } from "./authenticate";
import { log } from "@/lib/log";
import { isDomainError } from "@/lib/errors";
import { problem, problemFromError } from "./problem";

type Params = Record<string, string>;
type RouteContext<P extends Params> = { params: Promise<P> };

export interface ApiRequest<P extends Params> {
  request: Request;
  caller: ApiCaller;
  params: P;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every authenticated /v1 handler goes through here: authenticate, enforce
 * CSRF on cookie-authenticated writes, run the handler, and turn anything
 * thrown into a problem. Authorization of the specific resource is the
 * handler's first call into lib/ (which refuses without it).
 */
export function apiRoute<P extends Params = Params>(
  handler: (input: ApiRequest<P>) => Promise<Response>,
  options: {
    /**
     * The permission question the handler will ask first, answered in the
     * query that authenticates a bearer token (lib/authz Preauthorization).
     * The handler still asks it, and a denial is still recorded there.
     */
    preauthorize?: (params: P) => Preauthorization | undefined;
  } = {},
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const params = ((await context?.params) ?? {}) as P;
      const auth = await authenticate(request, options.preauthorize?.(params));
      if (!auth.ok) return problem(request, 401, "unauthenticated", auth.detail, {}, { "www-authenticate": 'Bearer realm="plexsphere"' });
      // A session caller gets its CSRF token with any answer, a refusal included, so it can retry.
      const cookie = auth.caller.via === "session" ? await csrfCookieFor(request) : undefined;
      const withCookie = (response: Response) => {
        if (cookie) response.headers.append("set-cookie", cookie);
        return response;
      };
      if (auth.caller.via === "session" && !SAFE_METHODS.has(request.method)) {
        const refusal = await csrfRefusal(request);
        if (refusal) {
          log.warn("api.csrf_refused", { path: new URL(request.url).pathname, code: refusal.code });
          return withCookie(problem(request, 403, refusal.code, refusal.detail));
        }
      }
      return withCookie(await handler({ request, caller: auth.caller, params }));
    } catch (error) {
      return problemFromError(request, error, closeAfterOversizedBody(error));
    }
  };
}

/**
 * A 413 leaves the rest of the body unread on the connection, and reading
 * it stopped mid-stream: the next request a keep-alive client sends there
 * would stall and be reset. Telling the client to close lets it open a
 * fresh connection instead.
 */
function closeAfterOversizedBody(error: unknown): Record<string, string> {
  // By code, not instanceof: the error may come from another bundle's copy of body.ts.
  return isDomainError(error) && error.code === "request_body_too_large" ? { connection: "close" } : {};
}

/** Unauthenticated endpoints (health, the OpenAPI document). */
export function publicRoute(handler: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    try {
      return await handler(request);
    } catch (error) {
      return problemFromError(request, error, closeAfterOversizedBody(error));
    }
  };
}

/** Handlers for the methods a route does not serve: 405 problems naming the ones it does. */
export function methodsNotAllowed(allowed: string[]) {
  const handler = async (request: Request) =>
    problem(request, 405, "method_not_allowed", `${request.method} is not allowed here; use ${allowed.join(", ")}`, {}, { allow: allowed.join(", ") });
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": API_HEADERS["cache-control"], ...headers },
  });
}
