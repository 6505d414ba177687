import "server-only";
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Prisma } from "./generated/client.ts";

export type Db = PrismaClient;
/** What a `$transaction` callback receives; use it, never the outer client, inside one. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

// Next may evaluate this module in more than one bundle (instrumentation and
// routes); the process has one database, so the handle lives on globalThis.
const state = globalThis as unknown as { __plexsphereDb?: { url: string; client: PrismaClient; pool: pg.Pool; prepared: boolean } };

/**
 * Points the process at its database. Called once by boot (lib/boot.ts) or a
 * test harness before anything queries.
 */
export function connectDatabase(url: string, options: { embedded: boolean; preparedStatements?: boolean }): PrismaClient {
  if (state.__plexsphereDb?.url === url) return state.__plexsphereDb.client;
  const pool = new pg.Pool({
    connectionString: url,
    // PGlite is a single session: a second pooled connection would only wait
    // for the first, and one connection keeps every request's queries and
    // transactions in one ordered stream.
    max: options.embedded ? 1 : 10,
    // A database that does not accept the connection within this is down (a
    // 503), not a request to hang on. pg-pool also counts a request's wait for
    // a free connection against it, so it is generous: a burst of requests
    // must queue, not fail. Not on the embedded database, where every request
    // waits its turn for the single connection.
    connectionTimeoutMillis: options.embedded ? 0 : 30_000,
  });
  // An idle connection the server drops is the pool's to replace, not a crash;
  // the next query that needs one reports any outage.
  pool.on("error", () => {});
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({
    adapter,
    // On the single embedded connection a transaction waits for every query
    // queued before it; under a burst that is longer than Prisma's 2 s default.
    ...(options.embedded ? { transactionOptions: { maxWait: 60_000, timeout: 60_000 } } : {}),
  });
  // Never on the embedded database: its one session outlives a pooled connection, which would not know what the session had prepared.
  state.__plexsphereDb = { url, client, pool, prepared: !options.embedded && options.preparedStatements !== false };
  return client;
}

export function db(): PrismaClient {
  const current = state.__plexsphereDb;
  if (!current) throw new Error("the database is not connected yet (boot did not run)");
  return current.client;
}

/**
 * One statement straight on the pool Prisma's adapter uses, for the request
 * paths whose cost is budgeted (authenticating a bearer token, issuing and
 * reading a credential): Prisma spends about half a millisecond of CPU on
 * each raw query before the driver sees it, which on the issue path was as
 * much as the rest of the database work. Same connections (the embedded
 * database's single one included), same `Prisma.sql` fragments; the rows are
 * node-postgres's own (timestamptz as Date, int4 as number, int8 as string).
 *
 * On PostgreSQL each is a named prepared statement (named after its text):
 * a connection parses and plans it once, then only executes it. PostgreSQL
 * spent 1.7–2.1 ms of CPU per issue planning these anew each time, 1.0 ms
 * prepared. Only point lookups and writes come here, whose plan does not
 * depend on the values. A pooler that cannot keep them (PgBouncer in
 * transaction mode before 1.21, or with max_prepared_statements = 0) needs
 * DATABASE_PREPARED_STATEMENTS=false. Never on the embedded database.
 */
export async function queryRows<Row>(query: Prisma.Sql): Promise<Row[]> {
  const current = state.__plexsphereDb;
  if (!current) throw new Error("the database is not connected yet (boot did not run)");
  const name = current.prepared ? statementName(query.text) : undefined;
  return (await current.pool.query({ name, text: query.text, values: query.values as unknown[] })).rows as Row[];
}

const statementNames = new Map<string, string>();

/** A stable name per statement text, so every connection prepares each text once under the same name. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `plexsphere_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** The pool's connections now (node-postgres's totalCount, idleCount, waitingCount), for /metrics; undefined before boot. */
export function poolStats(): { total: number; idle: number; waiting: number } | undefined {
  const pool = state.__plexsphereDb?.pool;
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

export async function disconnectDatabase(): Promise<void> {
  const current = state.__plexsphereDb;
  state.__plexsphereDb = undefined;
  await current?.client.$disconnect();
}

/**
 * The name of the unique constraint an error violated (e.g. "clouds_slug_key"),
 * or undefined when it is not a unique violation. Prisma's driver adapters
 * report the index name; older engines reported the columns.
 */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as {
    code?: string;
    meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } } };
  };
  if (e?.code !== "P2002") return undefined;
  const constraint = e.meta?.driverAdapterError?.cause?.constraint;
  if (constraint?.index) return constraint.index;
  if (constraint?.fields) return constraint.fields.join(",");
  const target = e.meta?.target;
  return Array.isArray(target) ? target.join(",") : typeof target === "string" ? target : "unknown";
}
