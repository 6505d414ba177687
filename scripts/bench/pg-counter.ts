import { startTcpProxy } from "../../testing/tcp-proxy";

/**
 * A TCP proxy in front of PostgreSQL that counts the statements its clients
 * send: each simple-protocol Query ('Q') and each extended-protocol Execute
 * ('E'), so a prepared statement run again counts again. The relay is the
 * fault tests' (testing/tcp-proxy.ts); only the client's side of the wire is
 * parsed here, and bytes pass through untouched.
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
  // One parser per connection: a message may arrive split across chunks.
  const countMessages = () => {
    let pending: Buffer<ArrayBufferLike> = Buffer.alloc(0);
    let startup = true;
    return (chunk: Buffer) => {
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
    };
  };
  const proxy = await startTcpProxy({
    listenPort: options.port,
    targetHost: options.targetHost,
    targetPort: options.targetPort,
    watchClient: countMessages,
  });
  return { port: proxy.port, statements: () => statements, close: () => proxy.close() };
}
