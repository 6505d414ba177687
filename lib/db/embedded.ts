import "server-only";
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * PostgreSQL for a machine that has none: PGlite (PostgreSQL compiled to
 * WASM) persisted in a folder, served on a loopback port so the app, the
 * migration runner and tools all speak the ordinary wire protocol.
 *
 * The socket server multiplexes its clients onto PGlite's single session and
 * resets connections beyond `maxConnections`, so every pool that talks to it
 * must keep its size under EMBEDDED_MAX_CONNECTIONS in total.
 */
export const EMBEDDED_MAX_CONNECTIONS = 8;

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** `dataDir` undefined keeps everything in memory (tests). */
export async function startEmbeddedDatabase(options: { dataDir?: string; port?: number }): Promise<EmbeddedDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PGLiteSocketServer({
    db: pglite,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  await server.start();
  const port = listeningPort(server);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}

function listeningPort(server: PGLiteSocketServer): number {
  // The server object keeps its net.Server private; the bound port is on it.
  const address = (server as unknown as { server?: { address(): { port: number } | string | null } }).server?.address();
  if (!address || typeof address === "string") throw new Error("embedded database did not bind a TCP port");
  return address.port;
}
