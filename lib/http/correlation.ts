import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/**
 * One correlation id per request, minted at the front door (server.ts) and
 * carried, through an AsyncLocalStorage, to everything that request runs:
 * every problem answer's `correlation_id` and `X-Correlation-Id` header, the
 * audit entry a denial writes, and the request's log lines.
 *
 * Nothing a client sends is honoured: an incoming X-Correlation-Id or
 * X-Request-Id is overwritten, never adopted. A denial's id pairs the answer
 * with its audit entry, so a caller who could choose it could make their
 * entries look like someone else's (docs/api/errors.md).
 *
 * The store lives on globalThis: the entry's bundle and Next's build each
 * hold their own copy of this module (docs/architecture.md), and both must
 * read the one the entry runs the request in.
 */
export const CORRELATION_HEADER = "x-correlation-id";

const STORE = Symbol.for("plexsphere.correlation");
type Holder = { [STORE]?: AsyncLocalStorage<string> };
const storage: AsyncLocalStorage<string> = ((globalThis as Holder)[STORE] ??= new AsyncLocalStorage<string>());

/** Runs `work` as one request whose correlation id is `id`. */
export function withCorrelationId<T>(id: string, work: () => T): T {
  return storage.run(id, work);
}

/** The running request's correlation id, if a front door minted one. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** The running request's id, or a fresh one where no request runs (a unit test, `next dev`, a background pass). */
export function correlationId(): string {
  return storage.getStore() ?? randomUUID();
}
