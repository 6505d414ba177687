import "server-only";
import { chmod, mkdir, unlink } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGliteSessionServer } from "./pglite-session-server.ts";

/**
 * PostgreSQL for a machine that has none: PGlite (PostgreSQL compiled to
 * WASM) persisted in a folder and served on a Unix socket inside that
 * folder, so the app, the migration runner and tools all speak the ordinary
 * wire protocol. PGlite accepts any user and password, so it must not listen
 * on TCP: the socket's folder is 0700, which makes file permissions the
 * authentication.
 *
 * PGlite is one PostgreSQL session: the socket server lends it to one client
 * connection at a time (see pglite-session-server.ts), and the others wait
 * their turn. More connections buy no parallelism, so the console's own pool
 * holds one; the rest of EMBEDDED_MAX_CONNECTIONS is for the migration
 * runner, scripts and psql.
 */
export const EMBEDDED_MAX_CONNECTIONS = 16;
const SOCKET_NAME = ".s.PGSQL.5432";
const MAX_SOCKET_PATH = 100; // sun_path holds 108 bytes on Linux, 104 on macOS

/** The data folder's socket answers: a running console already serves this embedded database. */
export class EmbeddedDatabaseInUseError extends Error {
  override name = "EmbeddedDatabaseInUseError";
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** The connection URL of an embedded database whose socket lives in `socketDir`. */
export function embeddedDatabaseUrl(socketDir: string): string {
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(path.resolve(socketDir))}&sslmode=disable`;
}

/** `dataDir` undefined keeps the data in memory (tests); the socket still goes in `socketDir`. */
export async function startEmbeddedDatabase(options: { dataDir?: string; socketDir: string }): Promise<EmbeddedDatabase> {
  const socketDir = path.resolve(options.socketDir);
  const socketPath = path.join(socketDir, SOCKET_NAME);
  if (socketPath.length > MAX_SOCKET_PATH) {
    throw new Error(`the embedded database socket path is too long (${socketPath.length} > ${MAX_SOCKET_PATH}): use a shorter DATA_DIR`);
  }
  for (const dir of [socketDir, options.dataDir]) {
    if (!dir) continue;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // mkdir's mode does not tighten a folder that already exists
  }
  await removeStaleSocket(socketPath);

  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    // PostgreSQL's default 128 MB of shared buffers lives in the WASM heap and is
    // touched as pages are read: about 100 MB of the console's resident memory at
    // idle. The demo's data fits in far less; 16 MB keeps idle RSS under 300 MB.
    startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"],
  });
  const server = new PGliteSessionServer(pglite, { path: socketPath, maxConnections: EMBEDDED_MAX_CONNECTIONS });
  await server.start();
  return {
    url: embeddedDatabaseUrl(socketDir),
    async stop() {
      await server.stop();
      await pglite.close();
      await unlink(socketPath).catch(() => {});
    },
  };
}

/**
 * A socket file left by a process that died is removed; one that answers
 * belongs to a running console, and two PGlite instances on one folder
 * would corrupt it.
 */
async function removeStaleSocket(socketPath: string): Promise<void> {
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (alive) throw new EmbeddedDatabaseInUseError(`another console is already serving the embedded database at ${socketPath}`);
  await unlink(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}
