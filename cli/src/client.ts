import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../generated/api";
import { CliError, EXIT, problemError } from "./errors";

export type Api = ReturnType<typeof createClient<paths>>;

/**
 * Requests whose bodies (sent or received) carry secret material: a
 * credential's payload and key-values, API token plaintexts, device codes,
 * a reminder webhook's signing secret.
 * --debug never prints their bodies.
 */
const SECRET_BEARING: [string, RegExp][] = [
  ["POST", /\/v1\/clouds\/[^/]+\/cloud-credentials$/],
  ["POST", /\/v1\/cloud-credentials\/[^/]+\/rotate$/],
  ["POST", /\/v1\/auth\/tokens(\/[^/]+\/rotate)?$/],
  ["POST", /\/v1\/auth\/device-(code|token)$/],
  ["PUT", /\/v1\/clouds\/[^/]+\/reminders$/],
];

export function isSecretBearing(method: string, url: string): boolean {
  const pathname = new URL(url).pathname;
  return SECRET_BEARING.some(([m, pattern]) => m === method && pattern.test(pathname));
}

/** --debug: method, URL and status on stderr; a body only when the call carries no secret. Never the Authorization header. */
function debugMiddleware(): Middleware {
  const started = new WeakMap<Request, number>();
  return {
    async onRequest({ request }) {
      started.set(request, Date.now());
      let line = `> ${request.method} ${request.url}`;
      if (request.body)
        line += isSecretBearing(request.method, request.url) ? " (body withheld: secret-bearing)" : ` ${await request.clone().text()}`;
      process.stderr.write(`${line}\n`);
      return undefined;
    },
    async onResponse({ request, response }) {
      process.stderr.write(
        `< ${response.status} ${request.method} ${request.url} (${Date.now() - (started.get(request) ?? Date.now())} ms)\n`,
      );
      return undefined;
    },
  };
}

export function apiClient(server: string, token: string | undefined, debug: boolean): Api {
  const client = createClient<paths>({
    baseUrl: server,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "user-agent": `plexctl (${process.platform})` },
  });
  if (debug) client.use(debugMiddleware());
  return client;
}

/**
 * The data of a successful call, or the problem as a CliError. Network
 * failures are the server's class: nothing answered.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    const reason =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot reach the server: ${reason}`, EXIT.server);
  }
  if (!result.response.ok) throw problemError(result.response.status, result.error);
  return result.data as T;
}

/** Follows next_cursor until the last page, for --all. */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor?: string }>,
): Promise<{ items: T[] }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return { items };
}
