import net from "node:net";

/**
 * A loopback TCP relay to a real server (here MariaDB), to make the database unreachable and
 * reachable again during a test. It forwards bytes unchanged: no database is mocked.
 */
export interface TcpProxy {
  port: number;
  /** Cut every open connection and refuse new ones. */
  down(): void;
  /**
   * A server that hangs: new connections are accepted and never answered, open ones stop
   * carrying bytes (what a dialer whose database is stuck looks like from outside).
   */
  hang(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: "up" | "down" | "hang" = "up";
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
  };
  const server = net.createServer((client) => {
    if (mode === "down") return void client.destroy();
    track(client);
    if (mode === "hang") return; // accepted, never answered
    const upstream = net.connect(targetPort, targetHost);
    track(upstream);
    // Forwarded only while up: a hang stalls the connections already open.
    client.on("data", (d) => mode === "up" && upstream.write(d));
    upstream.on("data", (d) => mode === "up" && client.write(d));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    down() {
      mode = "down";
      for (const s of sockets) s.destroy();
    },
    hang() {
      mode = "hang";
    },
    up() {
      // Connections stalled by a hang lost bytes on the way: they are cut, as a real network would.
      if (mode === "hang") for (const s of sockets) s.destroy();
      mode = "up";
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
