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

/**
 * What the request carries besides its id: the actor, once the route layer
 * has authenticated one (lib/api/route.ts), for the request's log line.
 */
export interface RequestContext {
  readonly id: string;
  actorId?: string;
}

// A new key: the store's shape changed from the bare id, and both module copies must agree on it.
const STORE = Symbol.for("plexsphere.request-context");
type Holder = { [STORE]?: AsyncLocalStorage<RequestContext> };
const storage: AsyncLocalStorage<RequestContext> = ((globalThis as Holder)[STORE] ??= new AsyncLocalStorage<RequestContext>());

/** Runs `work` as one request whose correlation id is `id`; returns what it returns. The context is `work`'s to read. */
export function withCorrelationId<T>(id: string, work: (context: RequestContext) => T): T {
  const context: RequestContext = { id };
  return storage.run(context, () => work(context));
}

/** The running request's correlation id, if a front door minted one. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.id;
}

/** The running request's id, or a fresh one where no request runs (a unit test, `next dev`, a background pass). */
export function correlationId(): string {
  return storage.getStore()?.id ?? randomUUID();
}

/** Names the running request's authenticated actor (a user id, never a token), for its log line. Outside a request, nothing. */
export function noteRequestActor(actorId: string): void {
  const context = storage.getStore();
  if (context) context.actorId = actorId;
}
