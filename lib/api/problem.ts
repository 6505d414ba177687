import "server-only";
import { API_HEADERS } from "@/lib/http/security-headers";
import { isDomainError, isPermissionDeniedError } from "@/lib/errors";
import { problemBody, type ProblemBody } from "@/lib/http/problem-body";
import { CORRELATION_HEADER, correlationId as requestCorrelationId } from "@/lib/http/correlation";
import { log } from "@/lib/log";
import { RETRY_AFTER_SECONDS, UNAVAILABLE_CODE, UNAVAILABLE_MESSAGE, unavailableDependency } from "@/lib/unavailable";

export function problem(
  request: Request,
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body: ProblemBody = {
    ...problemBody(status, code, detail, new URL(request.url).pathname, requestCorrelationId()),
    ...extensions,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": API_HEADERS["cache-control"],
      ...headers,
      [CORRELATION_HEADER]: body.correlation_id,
    },
  });
}

/** 403 in the contract's PermissionDenied shape; the correlation id (the request's) pairs it with its audit entry. */
export function permissionDenied(
  request: Request,
  correlationId: string = requestCorrelationId(),
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
  const correlationId = requestCorrelationId();
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
