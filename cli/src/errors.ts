/**
 * Exit codes scripts can rely on, one per class of failure (docs/cli.md).
 * 1 is left for the unexpected.
 */
export const EXIT = { ok: 0, unexpected: 1, usage: 2, auth: 3, permission: 4, notFound: 5, conflict: 6, server: 7 } as const;

/** A failure the CLI explains in one line on stderr and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const usage = (message: string) => new CliError(message, EXIT.usage);

export interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  status?: number;
}

/** The exit class of an HTTP status: bad input is a usage error, 5xx and the unknown are the server's. */
export function exitCodeFor(status: number): number {
  if (status === 401) return EXIT.auth;
  if (status === 403) return EXIT.permission;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status >= 400 && status < 500) return EXIT.usage;
  return EXIT.server;
}

/** The problem's title, detail and code on one line; never a request body. */
export function problemError(status: number, body: unknown): CliError {
  const problem: Problem = typeof body === "object" && body !== null ? (body as Problem) : {};
  const title = problem.title ?? `HTTP ${status}`;
  const parts = [title, problem.detail].filter(Boolean).join(": ");
  return new CliError(`${parts}${problem.code ? ` (${problem.code})` : ""}`, exitCodeFor(status));
}
