/**
 * A dependency the console cannot work without (the database, the secrets
 * engine) did not answer. That is not the caller's fault and not a bug of
 * ours: it is a 503 with a stable code and a Retry-After, and it heals by
 * itself when the dependency is back (the pools reconnect on their own).
 *
 * Recognised by `code`, never by `instanceof`: Next bundles a module once per
 * bundle (instrumentation, each route), so a class from one copy is not the
 * class another copy checks against.
 */
export type Dependency = "database" | "secrets_engine";

export const UNAVAILABLE_CODE = {
  database: "database_unavailable",
  secrets_engine: "secrets_engine_unavailable",
} as const satisfies Record<Dependency, string>;

/** What we ask clients to wait before retrying; outages shorter than this are the common case. */
export const RETRY_AFTER_SECONDS = 5;

export const UNAVAILABLE_MESSAGE: Record<Dependency, string> = {
  database: "The database is unavailable right now. Nothing was changed; try again in a moment.",
  secrets_engine: "The secrets engine is unavailable right now. Nothing was changed; try again in a moment.",
};

export class DependencyUnavailableError extends Error {
  override name = "DependencyUnavailableError";
  readonly code: (typeof UNAVAILABLE_CODE)[Dependency];
  readonly status = 503;
  /**
   * Next hands a server component's error to the error boundary with only
   * its digest (the message is redacted in production) and keeps a digest
   * the error already has: so the console's boundary can name the dependency.
   */
  readonly digest: string;

  constructor(readonly dependency: Dependency) {
    super(UNAVAILABLE_MESSAGE[dependency]);
    this.code = UNAVAILABLE_CODE[dependency];
    this.digest = this.code;
  }
}

/** For pages: a connection failure becomes a DependencyUnavailableError the error boundary can name. */
export function asUnavailable(error: unknown): unknown {
  const dependency = unavailableDependency(error);
  return dependency && !(error as { digest?: unknown })?.digest ? new DependencyUnavailableError(dependency) : error;
}

// Prisma's codes for "could not reach / lost / timed out on the database server", and the pool timeout.
const PRISMA_UNREACHABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// @prisma/adapter-pg's kinds for the same.
const ADAPTER_UNREACHABLE = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// PostgreSQL's own SQLSTATEs for the same, as node-postgres reports them when
// a query goes straight to the pool (lib/db/client.ts queryRows): too many
// connections, the server shutting down or starting up, connection exceptions.
const POSTGRES_UNAVAILABLE = new Set(["53300", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
// node-postgres reports a dropped or never-established connection as plain Errors with these texts.
const DATABASE_MESSAGES = [
  /Can't reach database server/i,
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection (was )?closed/i,
  /server closed the connection unexpectedly/i,
  /terminating connection due to administrator command/i,
];

/**
 * Which dependency `error` says is down, if any: our own typed errors by
 * their code, Prisma and node-postgres connection failures as the database.
 * Follows `cause` chains a few levels, since drivers wrap each other.
 */
export function unavailableDependency(error: unknown): Dependency | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const e = current as {
      code?: unknown;
      syscall?: unknown;
      kind?: unknown;
      message?: unknown;
      cause?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
    };
    if (e.code === UNAVAILABLE_CODE.database) return "database";
    if (e.code === UNAVAILABLE_CODE.secrets_engine) return "secrets_engine";
    if (typeof e.code === "string" && (PRISMA_UNREACHABLE.has(e.code) || POSTGRES_UNAVAILABLE.has(e.code) || SOCKET_CODES.has(e.code)))
      return "database";
    // The embedded database's socket file is gone.
    if (e.code === "ENOENT" && e.syscall === "connect") return "database";
    if (typeof e.kind === "string" && ADAPTER_UNREACHABLE.has(e.kind)) return "database";
    const adapterKind = e.meta?.driverAdapterError?.cause?.kind;
    if (typeof adapterKind === "string" && ADAPTER_UNREACHABLE.has(adapterKind)) return "database";
    if (typeof e.message === "string" && DATABASE_MESSAGES.some((pattern) => pattern.test(e.message as string))) return "database";
    current = e.cause;
  }
  return undefined;
}
