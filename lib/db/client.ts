import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;
/** What a `$transaction` callback receives; use it, never the outer client, inside one. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

// Next may evaluate this module in more than one bundle (instrumentation and
// routes); the process has one database, so the handle lives on globalThis.
const state = globalThis as unknown as { __plexsphereDb?: { url: string; client: PrismaClient } };

/**
 * Points the process at its database. Called once by boot (lib/boot.ts) or a
 * test harness before anything queries.
 */
export function connectDatabase(url: string, options: { embedded: boolean }): PrismaClient {
  if (state.__plexsphereDb?.url === url) return state.__plexsphereDb.client;
  const adapter = new PrismaPg({
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
  const client = new PrismaClient({
    adapter,
    // On the single embedded connection a transaction waits for every query
    // queued before it; under a burst that is longer than Prisma's 2 s default.
    ...(options.embedded ? { transactionOptions: { maxWait: 60_000, timeout: 60_000 } } : {}),
  });
  state.__plexsphereDb = { url, client };
  return client;
}

export function db(): PrismaClient {
  const current = state.__plexsphereDb;
  if (!current) throw new Error("the database is not connected yet (boot did not run)");
  return current.client;
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
