import "server-only";
import { API_HEADERS } from "@/lib/http/security-headers";
import type { Preauthorization } from "@/lib/authz/service";
import type { SessionUser } from "@/lib/auth/session";
import { authenticate, csrfCookieFor, csrfRefusal, type ApiCaller } from "./authenticate";
import { noteRequestActor } from "@/lib/http/correlation";
import { log } from "@/lib/log";
import { DomainError, isDomainError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import { readDeclaredBody, type BodySpec, type BodyOf } from "./body";
import { problem, problemFromError } from "./problem";

export { optionalBody } from "./body";

type RouteContext = { params?: Promise<Record<string, string>> };

/**
 * How a path segment is checked: the problem code a segment that is not a
 * UUID is refused with (it is lower-cased when it is one), or `RAW` for a
 * segment the service judges itself (a token id, a tuple id).
 */
export const RAW = Symbol("raw path segment");
export type ParamRule = string | typeof RAW;

/** What a route's handler is given: everything was checked, in the order the declaration lists it. */
export interface RouteInput<K extends string, Permit, Body> {
  /** What `authorize` returned: the only way the handler acts on the resource. */
  permit: Permit;
  body: Body;
  ids: Record<K, string>;
  caller: ApiCaller;
  query: URLSearchParams;
  request: Request;
}

/**
 * One /v1 route, declared. The wrapper runs the steps in this order and the
 * handler sees only their results:
 *  1. authenticate (a bearer token or the session cookie), and CSRF for a
 *     cookie-authenticated write;
 *  2. `params`: each path id checked against its rule, refused with its code;
 *  3. `authorize`: the permission the route needs, answered before one byte
 *     of the body is read. It returns the permit (a capability whose methods
 *     are the only way to act, or the caller for a route whose service
 *     filters what it shows);
 *  4. `body`: read under the 8 KiB ceiling and parsed with its wire schema;
 *  5. `handle`: one call into the service with the permit.
 * Anything thrown becomes a problem (lib/api/problem.ts).
 */
export interface RouteDeclaration<K extends string, Permit, S extends BodySpec | undefined> {
  params?: Record<K, ParamRule>;
  /**
   * The permission question `authorize` will ask, answered in the query
   * that authenticates a bearer token (lib/authz Preauthorization), so the
   * check costs no query of its own. Given the raw path segments.
   */
  preauthorize?: (raw: Record<string, string>) => Preauthorization | undefined;
  authorize: (caller: ApiCaller, ids: NoInfer<Record<K, string>>, query: URLSearchParams) => Promise<Permit> | Permit;
  body?: S;
  handle: (input: RouteInput<K, Permit, BodyOf<S>>) => Promise<Response>;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function route<K extends string = never, Permit = SessionUser, S extends BodySpec | undefined = undefined>(
  declaration: RouteDeclaration<K, Permit, S>,
) {
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const raw = (await context?.params) ?? {};
      const auth = await authenticate(request, declaration.preauthorize?.(raw));
      if (!auth.ok) return problem(request, 401, "unauthenticated", auth.detail, {}, { "www-authenticate": 'Bearer realm="plexsphere"' });
      const { caller } = auth;
      noteRequestActor(caller.user.id);
      // A session caller gets its CSRF token with any answer, a refusal included, so it can retry.
      const cookie = caller.via === "session" ? await csrfCookieFor(request) : undefined;
      const withCookie = (response: Response) => {
        if (cookie) response.headers.append("set-cookie", cookie);
        return response;
      };
      if (caller.via === "session" && !SAFE_METHODS.has(request.method)) {
        const refusal = await csrfRefusal(request);
        if (refusal) {
          log.warn("api.csrf_refused", { path: new URL(request.url).pathname, code: refusal.code });
          return withCookie(problem(request, 403, refusal.code, refusal.detail));
        }
      }
      const ids = checkParams(raw, declaration.params);
      const query = new URL(request.url).searchParams;
      const permit = await declaration.authorize(caller, ids, query);
      const body = (await readDeclaredBody(request, declaration.body)) as BodyOf<S>;
      return withCookie(await declaration.handle({ permit, body, ids, caller, query, request }));
    } catch (error) {
      return problemFromError(request, error, closeAfterOversizedBody(error));
    }
  };
}

/** For a route whose service decides what the caller sees (lists, whoami): the permit is the signed-in caller. */
export const signedIn = (caller: ApiCaller): SessionUser => caller.user;

/** The public variant, for endpoints that need no caller (health, the OpenAPI document, the device flow's anonymous steps). */
export function publicRoute<S extends BodySpec | undefined = undefined>(declaration: {
  body?: S;
  handle: (input: { body: BodyOf<S>; query: URLSearchParams; request: Request }) => Promise<Response>;
}) {
  return async (request: Request): Promise<Response> => {
    try {
      const body = (await readDeclaredBody(request, declaration.body)) as BodyOf<S>;
      return await declaration.handle({ body, query: new URL(request.url).searchParams, request });
    } catch (error) {
      return problemFromError(request, error, closeAfterOversizedBody(error));
    }
  };
}

function checkParams<K extends string>(raw: Record<string, string>, rules: Record<K, ParamRule> | undefined): Record<K, string> {
  const ids = {} as Record<K, string>;
  for (const [name, rule] of Object.entries(rules ?? {}) as [K, ParamRule][]) {
    const value = raw[name] ?? "";
    if (rule === RAW) ids[name] = value;
    else ids[name] = pathId(value, rule);
  }
  return ids;
}

/** A path id that is not a UUID is a 400 with the contract's code (e.g. invalid_cloud_id). */
export function pathId(value: string, code: string): string {
  if (!isUuid(value)) throw new DomainError(code, "the id in the path is not a UUID", 400);
  return value.toLowerCase();
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

/** Handlers for the methods a route does not serve: 405 problems naming the ones it does. */
export function methodsNotAllowed(allowed: string[]) {
  const handler = async (request: Request) =>
    problem(
      request,
      405,
      "method_not_allowed",
      `${request.method} is not allowed here; use ${allowed.join(", ")}`,
      {},
      { allow: allowed.join(", ") },
    );
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": API_HEADERS["cache-control"], ...headers },
  });
}

/** The no-content answer of a delete or a sign-out. */
export const noContent = (headers: Record<string, string> = {}) => new Response(null, { status: 204, headers });
