import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { startTcpProxy } from "./tcp-proxy";

/**
 * The fault suite's outages are only as real as this proxy: a pause must cut
 * live connections and refuse new ones, and a resume must serve the same port.
 */
describe("TCP proxy", () => {
  let echo: Server;
  let echoPort: number;
  before(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    echo.listen(0, "127.0.0.1");
    await once(echo, "listening");
    echoPort = (echo.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  const open = async (port: number) => {
    const socket = connect({ host: "127.0.0.1", port });
    await once(socket, "connect");
    return socket;
  };
  const roundTrip = async (socket: Socket, text: string) => {
    socket.write(text);
    const [data] = await once(socket, "data");
    return String(data);
  };
  const refused = (port: number) =>
    new Promise<string>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });

  test("relays bytes both ways, cuts live connections on pause, refuses while paused, serves the same port on resume", async () => {
    const proxy = await startTcpProxy({ targetHost: "127.0.0.1", targetPort: echoPort });
    try {
      const port = proxy.port;
      const live = await open(port);
      assert.equal(await roundTrip(live, "hello"), "hello");

      const closed = once(live, "close");
      await proxy.pause();
      await closed;
      assert.equal(await refused(port), "ECONNREFUSED");

      await proxy.resume();
      assert.equal(proxy.port, port);
      const again = await open(port);
      assert.equal(await roundTrip(again, "again"), "again");
      again.destroy();
    } finally {
      await proxy.close();
    }
  });

  test("listens on the port it is given, and a closed proxy does not come back", async () => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const free = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const proxy = await startTcpProxy({ listenPort: free, targetHost: "127.0.0.1", targetPort: echoPort });
    assert.equal(proxy.port, free);
    await proxy.close();
    assert.equal(await refused(free), "ECONNREFUSED");
    await assert.rejects(proxy.resume());
  });
});
