import "server-only";
import { API_HEADERS } from "@/lib/http/security-headers";
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import { isDomainError, isPermissionDeniedError } from "@/lib/errors";
import { log } from "@/lib/log";
import { RETRY_AFTER_SECONDS, UNAVAILABLE_CODE, UNAVAILABLE_MESSAGE, unavailableDependency } from "@/lib/unavailable";

/**
 * RFC 9457 problem details, the only shape an /v1 error leaves in. `code` is
 * the stable machine-readable taxonomy of the plexsphere v1 contract.
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  [extension: string]: unknown;
}

export function problem(
  request: Request,
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body: ProblemBody = {
    type: `https://plexsphere.com/errors/${code.replaceAll("_", "-")}`,
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail,
    instance: new URL(request.url).pathname,
    code,
    // Clients type every 403 as PermissionDenied (contract), so refusals that are
    // not relation checks (CSRF, cursor binding) carry its fields too.
    ...(status === 403 ? { reason: "out_of_scope", relation_path: [], correlation_id: randomUUID() } : {}),
    ...extensions,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": API_HEADERS["cache-control"], ...headers },
  });
}

/** 403 in the contract's PermissionDenied shape; the correlation id pairs it with its audit entry. */
export function permissionDenied(
  request: Request,
  correlationId: string = randomUUID(),
  code = "permission_denied",
  detail = "request rejected by authorization policy",
): Response {
  log.warn("api.permission_denied", { path: new URL(request.url).pathname, correlation_id: correlationId });
  return problem(request, 403, code, detail, {
    reason: "insufficient_relation",
    relation_path: [],
    correlation_id: correlationId,
  });
}

/**
 * Any thrown error as a problem. A dependency that is down (database,
 * secrets engine) is a 503 with its own code and a Retry-After; expected
 * errors keep their fixed message; anything else becomes a bare 500 whose
 * only detail is a correlation id.
 */
export function problemFromError(request: Request, error: unknown, headers: Record<string, string> = {}): Response {
  const dependency = unavailableDependency(error);
  if (dependency) {
    log.warn("api.dependency_unavailable", { path: new URL(request.url).pathname, method: request.method, dependency });
    return problem(
      request,
      503,
      UNAVAILABLE_CODE[dependency],
      UNAVAILABLE_MESSAGE[dependency],
      {},
      { "retry-after": String(RETRY_AFTER_SECONDS) },
    );
  }
  if (isPermissionDeniedError(error)) {
    const detail = error.code === "permission_denied" ? undefined : error.message;
    return permissionDenied(request, error.correlationId, error.code, detail);
  }
  if (isDomainError(error)) {
    // A rate limit's refusal (ThrottledError) says when to come back, in the header too.
    const wait = error.status === 429 ? error.extensions.retry_after_seconds : undefined;
    return problem(request, error.status, error.code, error.message, error.extensions, {
      ...headers,
      ...(typeof wait === "number" ? { "retry-after": String(wait) } : {}),
    });
  }
  const correlationId = randomUUID();
  log.error("api.unexpected_error", {
    path: new URL(request.url).pathname,
    method: request.method,
    correlation_id: correlationId,
    error: error instanceof Error ? error.name : typeof error,
  });
  return problem(request, 500, "internal", `unexpected server error (correlation id ${correlationId})`, {
    correlation_id: correlationId,
  });
}
