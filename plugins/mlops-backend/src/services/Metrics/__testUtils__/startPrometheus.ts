/**
 * A real Prometheus (Debian's `prometheus` binary, or MLOPS_PROMETHEUS_BIN) on 127.0.0.1 that
 * scrapes only itself: the metrics endpoint's queries really run, over series that are empty.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export async function startPrometheus(options: { dir: string; port: number }) {
  const url = `http://127.0.0.1:${options.port}`;
  const configFile = path.join(options.dir, 'prometheus.yml');
  fs.writeFileSync(
    configFile,
    [
      'global: {scrape_interval: 5s}',
      'scrape_configs:',
      '  - job_name: prometheus',
      `    static_configs: [{targets: ['127.0.0.1:${options.port}']}]`,
      '',
    ].join('\n'),
  );
  const out = fs.openSync(path.join(options.dir, 'prometheus.log'), 'w');
  const child = spawn(
    process.env.MLOPS_PROMETHEUS_BIN ?? 'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(options.dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  let exited = false;
  const exit = new Promise<void>(resolve =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    await Promise.race([exit, new Promise(r => setTimeout(r, 10_000))]);
    if (!exited) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/-/ready`)
      .then(r => r.ok)
      .catch(() => false))
  ) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not become ready on ${url}`);
    }
    await new Promise(r => setTimeout(r, 300));
  }
  return { url, stop };
}
