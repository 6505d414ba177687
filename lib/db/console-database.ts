import "server-only";
import path from "node:path";
import { env, type Env } from "@/lib/env";
import { connectDatabase, disconnectDatabase } from "./client";
import { EmbeddedDatabaseInUseError, embeddedDatabaseUrl, startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";
import { migrate } from "./migrate";

/**
 * For the command-line tools (scripts/reconcile.ts, remind.ts, admin.ts,
 * idp-add.ts): runs `fn` connected to the database the console itself uses,
 * then closes it again.
 *
 * That is DATABASE_URL when set. Otherwise the embedded database under
 * DATA_DIR: started here when no console is running, or, when a running
 * console already serves it, reached through that console's socket (two
 * PGlite instances on one folder would corrupt it). Migrations are applied
 * first, so a tool run against an older database sees the schema it was
 * written for. Only the "already served" answer falls back to the socket;
 * any other failure to start is the caller's error.
 */
export async function withConsoleDatabase<T>(
  fn: () => Promise<T>,
  config: Pick<Env, "databaseUrl" | "dataDir"> & Partial<Pick<Env, "preparedStatements">> = env(),
): Promise<T> {
  let url = config.databaseUrl;
  let embedded: EmbeddedDatabase | undefined;
  if (!url) {
    const dataDir = path.resolve(config.dataDir);
    try {
      embedded = await startEmbeddedDatabase({ dataDir: path.join(dataDir, "pglite"), socketDir: dataDir });
      url = embedded.url;
    } catch (error) {
      if (!(error instanceof EmbeddedDatabaseInUseError)) throw error;
      url = embeddedDatabaseUrl(dataDir);
    }
  }
  try {
    await migrate(url);
    connectDatabase(url, { embedded: !config.databaseUrl, preparedStatements: config.preparedStatements });
    return await fn();
  } finally {
    await disconnectDatabase();
    await embedded?.stop();
  }
}
