import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

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
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global: {scrape_interval: 5s}\nscrape_configs:\n  - job_name: self\n    static_configs: [{targets: ['127.0.0.1:${port}']}]\n`,
  );
  const prometheus: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      prometheus.kill('SIGTERM');
      throw new Error('Prometheus did not become ready in 60 s');
    }
    await new Promise(r => setTimeout(r, 300));
  }
  return {
    url,
    decoyUrl: `http://127.0.0.1:${decoyPort}`,
    decoyHits,
    async stop() {
      const exited = new Promise(r => prometheus.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
      await new Promise(r => decoy.close(r));
    },
  };
}
