import "server-only";
import pg from "pg";
import type { Tx } from "./client";
import { Prisma } from "@/lib/db/generated/client";

/**
 * PostgreSQL advisory locks: every key the console locks on, and the three
 * ways it takes one. Which way is in the function's name, so a caller says
 * whether it waits or gives up, and whether the lock lasts a session or a
 * transaction.
 *
 * On the embedded database (PGlite) every connection shares one PostgreSQL
 * session, so a session-level lock excludes nothing there; it needs none:
 * its socket refuses a second console, so one process owns it. Transactions
 * there already run one at a time.
 */
export interface AdvisoryLock {
  /** What it guards, for readers and error messages. */
  readonly name: string;
  /** SQL yielding the bigint key. */
  readonly key: Prisma.Sql;
}

const lock = (name: string, key: Prisma.Sql): AdvisoryLock => ({ name, key });

/**
 * The keys, in one place so no two locks share one by accident. They are the
 * values earlier versions used, so instances of both versions still exclude
 * each other during a rolling start.
 */
export const ADVISORY_LOCKS = {
  /** One process applies migrations at a time (lib/db/migrate.ts). */
  migrations: lock("migrations", Prisma.sql`${7_421_301}::bigint`),
  /** Instances starting on one database migrate and seed in turn (lib/boot.ts). */
  boot: lock("boot", Prisma.sql`${7_421_302}::bigint`),
  /** One audit sealer at a time places entries in the hash chain (lib/audit/chain.ts). */
  auditSeal: lock("audit seal", Prisma.sql`${7_421_303}::bigint`),
  /** At most one reconcile pass across every instance (lib/reconcile/service.ts). */
  reconcile: lock("reconcile", Prisma.sql`hashtextextended(${"plexsphere.reconcile"}, 0)`),
  /** At most one refresh of the IdPs' discovery documents across every instance (lib/sso/discovery.ts). */
  idpDiscovery: lock("idp discovery", Prisma.sql`hashtextextended(${"plexsphere.idp-discovery"}, 0)`),
  /** One pending invitation per email: two issuers for one address take turns (lib/identity/invitations.ts). */
  invitation: (email: string) => lock("invitation", Prisma.sql`hashtext(${`invitation:${email}`})::bigint`),
} as const;

/** A connection of the lock's own: not a pool connection Prisma could hand to another query. */
async function lockConnection(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // An error on an idle client would otherwise be an uncaught exception.
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

async function run(client: pg.Client, statement: Prisma.Sql) {
  return client.query<{ locked?: boolean }>(statement.text, statement.values as unknown[]);
}

/**
 * Session-level, waiting: runs `fn` once the lock is ours, on a connection
 * of its own, and releases it after. If the process dies, the connection
 * drops and PostgreSQL releases the lock.
 */
export async function withSessionLock<T>(databaseUrl: string, lock: AdvisoryLock, fn: () => Promise<T>): Promise<T> {
  const client = await lockConnection(databaseUrl);
  try {
    await run(client, Prisma.sql`SELECT pg_advisory_lock(${lock.key})`);
    try {
      return await fn();
    } finally {
      // Closing the session releases it too; unlock first so it goes as soon as we are done.
      await run(client, Prisma.sql`SELECT pg_advisory_unlock(${lock.key})`).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

export type LockedRun<T> = { busy: true } | { busy: false; result: T };

/**
 * Session-level, not waiting: runs `fn` holding the lock, or answers
 * `{ busy: true }` at once when another session holds it.
 */
export async function trySessionLock<T>(databaseUrl: string, lock: AdvisoryLock, fn: () => Promise<T>): Promise<LockedRun<T>> {
  const client = await lockConnection(databaseUrl);
  try {
    const { rows } = await run(client, Prisma.sql`SELECT pg_try_advisory_lock(${lock.key}) AS locked`);
    if (!rows[0]?.locked) return { busy: true };
    try {
      return { busy: false, result: await fn() };
    } finally {
      await run(client, Prisma.sql`SELECT pg_advisory_unlock(${lock.key})`).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Transaction-level, waiting: the rest of `tx` runs holding the lock, and
 * its commit or rollback releases it. Nothing to release by hand.
 */
export async function lockForTransaction(tx: Tx, lock: AdvisoryLock): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${lock.key})`;
}
