/**
 * A TCP proxy a fault test puts between the server and a backend
 * (PostgreSQL, the KV-v2 double) so it can take the backend away and give it
 * back without touching either process:
 *
 *   const proxy = await startTcpProxy({ targetHost: "127.0.0.1", targetPort: 5432 });
 *   // point the server at 127.0.0.1:${proxy.port}
 *   await proxy.pause();   // the listener closes and every live connection is cut:
 *                          // new connects are refused, pooled ones see a reset
 *   await proxy.resume();  // listens again on the same port
 *   await proxy.close();
 *
 * A paused proxy refuses rather than black-holes, so the server sees an outage
 * at once (ECONNREFUSED / reset), the way a stopped database or a restarted
 * Vault looks, and a test does not wait on connect timeouts.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpProxyOptions {
  /** 0 or unset: any free port, kept for every resume. */
  listenPort?: number;
  /** Where the proxy listens; 127.0.0.1 unless told. */
  listenHost?: string;
  targetHost: string;
  targetPort: number;
  /**
   * Called once per accepted connection; the function it returns sees each
   * chunk the client sends, before it is relayed unchanged (the bench's
   * statement counter, scripts/bench/pg-counter.ts, parses them).
   */
  watchClient?: () => (chunk: Buffer) => void;
}

export interface TcpProxy {
  port: number;
  /** Stops accepting and destroys every live connection, both sides. */
  pause(): Promise<void>;
  /** Accepts again on the same port. */
  resume(): Promise<void>;
  /** Destroys every live connection but keeps listening: a blip, not an outage. */
  killConnections(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const host = options.listenHost ?? "127.0.0.1";
  const live = new Set<Socket>();
  let server: Server | undefined;
  let port = options.listenPort ?? 0;
  let closed = false;

  const relay = (client: Socket) => {
    const upstream = createConnection({ host: options.targetHost, port: options.targetPort });
    // No Nagle, as the peers themselves (pg, PostgreSQL, undici) set: otherwise a
    // small write behind an unacknowledged one waits for a delayed ACK (40 ms).
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    live.add(client);
    live.add(upstream);
    // One side going away takes the other with it, as a real network cut would.
    const cut = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
    };
    client.on("error", cut).on("close", cut);
    upstream.on("error", cut).on("close", cut);
    const watch = options.watchClient?.();
    if (watch) client.on("data", watch);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(relay);
      next.once("error", reject);
      next.listen(port, host, () => {
        next.off("error", reject);
        const address = next.address();
        if (address && typeof address === "object") port = address.port;
        server = next;
        resolve();
      });
    });

  const stopListening = async () => {
    const current = server;
    server = undefined;
    for (const socket of live) socket.destroy();
    live.clear();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    pause: stopListening,
    killConnections() {
      for (const socket of live) socket.destroy();
      live.clear();
    },
    async resume() {
      if (closed) throw new Error("the proxy is closed");
      if (!server) await listen();
    },
    async close() {
      closed = true;
      await stopListening();
    },
  };
}
