import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that counts the statements its clients
 * send: each simple-protocol Query ('Q') and each extended-protocol Execute
 * ('E'), so a prepared statement run again counts again. Only the client's
 * side of the wire is parsed; bytes pass through untouched.
 */
export interface CountingProxy {
  port: number;
  statements(): number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export async function startCountingProxy(options: { port: number; targetHost: string; targetPort: number }): Promise<CountingProxy> {
  let statements = 0;
  const live = new Set<Socket>();

  const relay = (client: Socket) => {
    const upstream = createConnection({ host: options.targetHost, port: options.targetPort });
    // As pg and PostgreSQL do on their own sockets: with Nagle's algorithm on,
    // a small write behind an unacknowledged one waits for the peer's delayed
    // ACK, and a query stalls for 40 ms now and then.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    live.add(client).add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
    };
    client.on("error", cut).on("close", cut);
    upstream.on("error", cut).on("close", cut);
    let pending: Buffer<ArrayBufferLike> = Buffer.alloc(0);
    let startup = true;
    client.on("data", (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (startup) {
          if (pending.length < 8) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(length);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
          continue;
        }
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        const type = pending[0];
        if (type === 0x51 /* Q */ || type === 0x45 /* E */) statements += 1;
        pending = pending.subarray(1 + length);
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const server: Server = createServer(relay);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  return {
    port: options.port,
    statements: () => statements,
    close: async () => {
      for (const socket of live) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
