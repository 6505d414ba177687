/**
 * Expected failures carry a stable `code`. They are turned into a form
 * message or an RFC 9457 problem in one place each; anything else is an
 * unexpected error, logged with a correlation id and shown generically.
 */
export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
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
 * The caller may not do this. A resource that does not exist is reported the
 * same way, so a denial reveals nothing about what exists.
 */
export class PermissionDeniedError extends DomainError {
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

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
