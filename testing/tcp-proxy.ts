import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A TCP proxy a test can put between the console and a dependency
 * (PostgreSQL, Vault) and then cut: `pause()` closes the listener and
 * destroys every open connection, so new connections are refused
 * (ECONNREFUSED) and pooled ones break (ECONNRESET), exactly what an outage
 * looks like; `resume()` listens on the same port again.
 */
export interface TcpProxy {
  readonly port: number;
  /** Stop listening and destroy every proxied connection. */
  pause(): Promise<void>;
  /** Listen again on the same port. */
  resume(): Promise<void>;
  /** Destroy every proxied connection but keep listening. */
  killConnections(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(options: { listenPort?: number; targetHost: string; targetPort: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const killConnections = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect({ host: options.targetHost, port: options.targetPort });
        track(client);
        track(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.on("error", () => upstream.destroy());
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        next.off("error", reject);
        server = next;
        resolve((next.address() as { port: number }).port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (!current) return resolve();
      current.close(() => resolve());
    });

  const port = await listen(options.listenPort ?? 0);
  return {
    port,
    async pause() {
      const closed = stopListening();
      killConnections();
      await closed;
    },
    async resume() {
      if (!server) await listen(port);
    },
    killConnections,
    async close() {
      const closed = stopListening();
      killConnections();
      await closed;
    },
  };
}
