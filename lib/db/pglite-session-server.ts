import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite over the PostgreSQL wire protocol to several client
 * connections, correctly: PGlite is a single PostgreSQL session, so one
 * connection owns it at a time and the others wait.
 *
 * Why not @electric-sql/pglite-socket's server: it queues *messages*, not
 * conversations. An extended-protocol query is several messages (Parse,
 * Bind, Describe, Execute, Sync), and another connection's messages were
 * slotted in between them, so under load a query lost its unnamed statement,
 * was answered with another connection's rows, or hung; transactions from
 * different connections interleaved on the one session.
 *
 * The rule here: a connection takes the session with its first message and
 * keeps it until PGlite answers ReadyForQuery with status `I` (idle: no
 * transaction open, no extended-protocol batch half-done, no COPY running).
 * Only then may the next waiting connection have it. A connection that
 * holds the session inside a transaction keeps it, however long it idles;
 * one that goes away while holding it has its batch synced and its
 * transaction rolled back before anyone else is served.
 *
 * What connections still share, because PGlite has only one session:
 * session settings (SET), named prepared statements, temporary tables,
 * LISTEN. The console's pool and the migration runner use none of them;
 * psql works, but a `SET` in psql is seen by the console too.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]); // 'S', length 4
const READY_FOR_QUERY = 0x5a; // 'Z'
const TERMINATE = 0x58; // 'X'
const IDLE = 0x49; // 'I'

function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message.write("Q", 0, "latin1");
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, "utf8");
  const frame = Buffer.alloc(5 + fields.length);
  frame.write("E", 0, "latin1");
  frame.writeInt32BE(4 + fields.length, 1);
  fields.copy(frame, 5);
  return frame;
}

/**
 * Follows the backend's message framing across chunks, to know whether the
 * last complete message was ReadyForQuery and with which status.
 */
class BackendFraming {
  private header = Buffer.alloc(0);
  private remaining = 0;
  private type = 0;
  private firstPayloadByte: number | undefined;
  /** True when the last complete message was ReadyForQuery('I'). */
  idle = true;

  feed(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.remaining === 0 && this.header.length < 5) {
        const take = Math.min(5 - this.header.length, chunk.length - pos);
        this.header = Buffer.concat([this.header, chunk.subarray(pos, pos + take)]);
        pos += take;
        if (this.header.length < 5) return;
        this.type = this.header[0];
        this.remaining = this.header.readInt32BE(1) - 4;
        this.firstPayloadByte = undefined;
        this.idle = false; // a message started; idle again only after ReadyForQuery('I')
        if (this.remaining === 0) this.finish();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - pos);
      if (this.firstPayloadByte === undefined && take > 0) this.firstPayloadByte = chunk[pos];
      pos += take;
      this.remaining -= take;
      if (this.remaining === 0) this.finish();
    }
  }

  private finish(): void {
    this.idle = this.type === READY_FOR_QUERY && this.firstPayloadByte === IDLE;
    this.header = Buffer.alloc(0);
  }
}

class Connection {
  private buffer = Buffer.alloc(0);
  private started = false;
  readonly frames: Uint8Array[] = [];
  readonly backend = new BackendFraming();
  closed = false;

  constructor(readonly socket: Socket) {}

  /** Splits what arrived into whole frontend messages; answers SSL/GSS probes itself. */
  receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (this.buffer.length < length) return;
        const message = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write("N"); // no encryption on a Unix socket in a 0700 folder
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.destroy(); // cancelling is not supported; the request's own connection closes
          return;
        }
        this.started = true;
        this.frames.push(new Uint8Array(message));
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) return;
      this.frames.push(new Uint8Array(this.buffer.subarray(0, length)));
      this.buffer = this.buffer.subarray(length);
    }
  }
}

export class PGliteSessionServer {
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly waiting: Connection[] = [];
  private owner: Connection | null = null;
  private pumping: Promise<void> | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly options: { path: string; maxConnections: number },
  ) {}

  async start(): Promise<void> {
    await this.db.waitReady;
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.path, () => {
        server.off("error", reject);
        resolve();
      });
    });
  }

  /** Stops listening, closes every connection, and waits for the message PGlite is running. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const connection of this.connections) connection.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.pumping;
  }

  private accept(socket: Socket): void {
    if (!this.server || this.connections.size >= this.options.maxConnections) {
      socket.end(fatal("53300", "sorry, too many clients already"));
      return;
    }
    const connection = new Connection(socket);
    this.connections.add(connection);
    socket.setNoDelay(true);
    socket.on("data", (data) => {
      try {
        connection.receive(data);
      } catch {
        socket.destroy(); // a frame we cannot parse: this client speaks no PostgreSQL
        return;
      }
      if (connection.frames.length > 0 && this.owner !== connection && !this.waiting.includes(connection)) {
        this.waiting.push(connection);
      }
      this.pump();
    });
    const gone = () => {
      connection.closed = true;
      this.connections.delete(connection);
      const queued = this.waiting.indexOf(connection);
      if (queued >= 0) this.waiting.splice(queued, 1);
      this.pump();
    };
    socket.on("close", gone);
    socket.on("error", gone);
  }

  private pump(): void {
    this.pumping ??= this.run().finally(() => {
      this.pumping = undefined;
    });
  }

  /** The only code that talks to PGlite: one owner at a time, one message at a time. */
  private async run(): Promise<void> {
    for (;;) {
      if (!this.owner) {
        const next = this.waiting.shift();
        if (!next) return;
        this.owner = next;
      }
      const owner = this.owner;
      if (owner.closed) {
        if (!owner.backend.idle) await this.reset();
        this.owner = null;
        continue;
      }
      const frame = owner.frames.shift();
      if (!frame) return; // the owner is mid-transaction or mid-batch: nobody else may run until it goes on
      if (frame[0] === TERMINATE) {
        owner.closed = true;
        owner.socket.end();
        continue;
      }
      // Until PGlite answers ReadyForQuery('I') to this message, the session is
      // this connection's: a Parse or Bind may produce no answer of its own.
      owner.backend.idle = false;
      try {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(frame, {
            onRawData: (chunk) => {
              owner.backend.feed(chunk);
              if (!owner.closed && owner.socket.writable) owner.socket.write(Buffer.from(chunk));
            },
          }),
        );
      } catch {
        owner.socket.destroy(); // PGlite could not run it; the session is reset below
        owner.closed = true;
        continue;
      }
      if (owner.backend.idle && (owner.frames.length === 0 || this.waiting.length > 0)) {
        this.owner = null;
        if (owner.frames.length > 0) this.waiting.push(owner);
      }
    }
  }

  /** Puts the session back to idle after its owner left mid-batch or mid-transaction. */
  private async reset(): Promise<void> {
    const discard = { onRawData: () => {} };
    try {
      await this.db.runExclusive(async () => {
        await this.db.execProtocolRawStream(SYNC, discard);
        await this.db.execProtocolRawStream(simpleQuery("ROLLBACK"), discard);
      });
    } catch {
      // Nothing more can be done for the session here; the next owner will see PGlite's own error.
    }
  }
}
