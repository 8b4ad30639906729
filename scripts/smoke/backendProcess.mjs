// Starts the real Backstage backend (packages/backend) on a free 127.0.0.1 port with the
// repo's app-config.yaml, and stops its whole process group afterwards.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBackendPortConfig } from './backendPortConfig.mjs';

export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);

export async function startBackend({ timeoutMs = 180_000 } = {}) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-smoke-'));
  const configFile = path.join(tmp, 'app-config.smoke.yaml');
  const { baseUrl } = await writeBackendPortConfig(configFile);
  const logFile = path.join(tmp, 'backend.log');
  const log = await fs.open(logFile, 'w');
  const child = spawn(
    'yarn',
    ['start', '--config', '../../app-config.yaml', '--config', configFile],
    {
      cwd: path.join(repoRoot, 'packages/backend'),
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
    },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 10_000;
      while (!exited && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
      }
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await log.close();
  };

  const started = Date.now();
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(
        `backend exited during start-up; log:\n${await fs.readFile(
          logFile,
          'utf8',
        )}`,
      );
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(
        `backend not ready after ${timeoutMs} ms; log:\n${await fs.readFile(
          logFile,
          'utf8',
        )}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/api/mlops/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  return { baseUrl, stop, logFile, startupMs: Date.now() - started };
}
