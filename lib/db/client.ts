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
    // The embedded socket multiplexes its connections onto PGlite's one session, so two
    // connections interleave their statements ("bind message supplies 3 parameters, but
    // prepared statement requires 7") and each other's transactions. One connection queues them.
    max: options.embedded ? 1 : 10,
  });
  const client = new PrismaClient({ adapter });
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
