/**
 * Expected failures carry a stable `code`. They are turned into a form
 * message or an RFC 9457 problem in one place each; anything else is an
 * unexpected error, logged with a correlation id and shown generically.
 */
export type FieldErrors = Record<string, string>;

/**
 * Next bundles a module into more than one chunk (instrumentation, each
 * route), so one error can be built by a class that is not the `DomainError`
 * a handler imported, and `instanceof` says no. A brand registered with
 * Symbol.for is the same in every copy, so identity survives bundling.
 */
const DOMAIN_ERROR = Symbol.for("plexsphere.DomainError");
const PERMISSION_DENIED = Symbol.for("plexsphere.PermissionDeniedError");

export class DomainError extends Error {
  readonly [DOMAIN_ERROR] = true;

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fieldErrors: FieldErrors = {},
    /** Extra members for an API problem (e.g. child counts); never secret. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Bad input: nothing was changed. */
export class ValidationError extends DomainError {
  constructor(code: string, message: string, fieldErrors: FieldErrors = {}) {
    super(code, message, 400, fieldErrors);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, fieldErrors: FieldErrors = {}, extensions: Record<string, unknown> = {}) {
    super(code, message, 409, fieldErrors, extensions);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 404);
  }
}

/**
 * Too many requests from this caller (a rate limit, lib/rate-limit.ts): a
 * 429 whose problem carries `retry_after_seconds` and a Retry-After header.
 */
export class ThrottledError extends DomainError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(code, message, 429, {}, { retry_after_seconds: retryAfterSeconds });
  }
}

/**
 * The caller may not do this. A resource that does not exist is reported the
 * same way, so a denial reveals nothing about what exists.
 */
export class PermissionDeniedError extends DomainError {
  readonly [PERMISSION_DENIED] = true;

  constructor(
    readonly reason: string,
    /** Pairs the denial the caller sees with its audit entry. */
    readonly correlationId?: string,
    code = "permission_denied",
    message = "You are not permitted to do this.",
  ) {
    super(code, message, 403);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super("unauthenticated", "Sign in to continue.", 401);
  }
}

/** Any copy's DomainError (see DOMAIN_ERROR); use this, never `instanceof`. */
export function isDomainError(error: unknown): error is DomainError {
  return typeof error === "object" && error !== null && (error as { [DOMAIN_ERROR]?: unknown })[DOMAIN_ERROR] === true;
}

export function isPermissionDeniedError(error: unknown): error is PermissionDeniedError {
  return isDomainError(error) && (error as { [PERMISSION_DENIED]?: unknown })[PERMISSION_DENIED] === true;
}
