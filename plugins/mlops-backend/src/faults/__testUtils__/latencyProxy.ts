import net from 'node:net';

export interface LatencyProxy {
  /** https://127.0.0.1:<port>, to use in place of the API server's URL. */
  url: string;
  stats: { connections: number; delayedChunks: number };
  stop(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that holds every chunk the client sends for `latencyMs` before
 * passing it on (order kept), so each request and TLS handshake flight arrives late. TLS passes
 * through untouched: the API server's certificate names 127.0.0.1, as this proxy's address does.
 */
export async function startLatencyProxy(
  target: URL,
  latencyMs: number,
): Promise<LatencyProxy> {
  const sockets = new Set<net.Socket>();
  const stats = { connections: 0, delayedChunks: 0 };
  const server = net.createServer(client => {
    stats.connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', chunk => {
      stats.delayedChunks++;
      // Timers of equal delay fire in the order they were set, so bytes stay in order.
      setTimeout(() => {
        if (!upstream.destroyed) upstream.write(chunk);
      }, latencyMs);
    });
    client.on('end', () => setTimeout(() => upstream.end(), latencyMs));
    upstream.pipe(client);
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    stats,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
