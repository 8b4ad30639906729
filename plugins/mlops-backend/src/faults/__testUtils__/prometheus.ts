import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitUntil } from '@mlops-plugins/test-support';

/** A real Prometheus on a fixed 127.0.0.1 port that a test can stop and start again. */
export function prometheusProcess(dir: string, port: number) {
  const url = `http://127.0.0.1:${port}`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    'global: {scrape_interval: 1s, evaluation_interval: 1s}\n',
  );
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  return {
    url,
    async start() {
      child = spawn(
        'prometheus',
        [
          `--config.file=${path.join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: 'ignore' },
      );
      const self = child;
      exited = new Promise(resolve => self.once('exit', resolve));
      await waitUntil(
        'Prometheus ready',
        async () => {
          if (self.exitCode !== null) throw new Error('Prometheus exited');
          return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok;
        },
        { timeoutMs: 60_000, everyMs: 100 },
      );
    },
    /** SIGKILL: Prometheus gone at once, as after a crash or an evicted pod. */
    async kill() {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
