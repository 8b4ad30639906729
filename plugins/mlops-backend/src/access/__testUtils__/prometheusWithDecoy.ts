import http from 'node:http';
import net from 'node:net';
import { startPrometheus } from '../../services/Metrics/__testUtils__/startPrometheus';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface PrometheusWithDecoy {
  /** The real Prometheus, for config. */
  url: string;
  /** A server a caller might try to send the query to; it records every request. */
  decoyUrl: string;
  decoyHits: string[];
  stop(): Promise<void>;
}

/** A real Prometheus (scraping itself) on 127.0.0.1, and a decoy HTTP server beside it. */
export async function startPrometheusWithDecoy(
  dir: string,
): Promise<PrometheusWithDecoy> {
  const decoyHits: string[] = [];
  const decoy = http.createServer((req, res) => {
    decoyHits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"success","data":{"resultType":"matrix","result":[]}}');
  });
  const decoyPort = await freePort();
  await new Promise<void>(r => decoy.listen(decoyPort, '127.0.0.1', r));
  const prometheus = await startPrometheus({ dir, port: await freePort() });
  return {
    url: prometheus.url,
    decoyUrl: `http://127.0.0.1:${decoyPort}`,
    decoyHits,
    async stop() {
      await prometheus.stop();
      await new Promise(r => decoy.close(r));
    },
  };
}
