// One backend replica for the replica tests: packages/backend started straight from its sources
// with Backstage's node transform (no file watcher that would restart it), in its own process
// group so a test can SIGKILL it whole, with its log in a file.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBackendPortConfig } from '../smoke/backendPortConfig.mjs';

export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const backendDir = path.join(repoRoot, 'packages/backend');
const nodeTransform = createRequire(
  path.join(backendDir, 'package.json'),
).resolve('@backstage/cli-node/config/nodeTransform.cjs');

/** Starts replica `name` with app-config.yaml + `configFiles`; resolves once /health answers. */
export async function startReplica(name, workDir, configFiles, timeoutMs) {
  const portConfig = path.join(workDir, `app-config.${name}.yaml`);
  const { baseUrl } = await writeBackendPortConfig(portConfig);
  const logFile = path.join(workDir, `${name}.log`);
  const logHandle = await fs.open(logFile, 'w');
  const args = [
    '--enable-source-maps',
    '--no-node-snapshot',
    '--require',
    nodeTransform,
    'src/index.ts',
    '--config',
    '../../app-config.yaml',
  ];
  for (const file of [...configFiles, portConfig]) args.push('--config', file);
  const child = spawn(process.execPath, args, {
    cwd: backendDir,
    detached: true,
    stdio: ['ignore', logHandle.fd, logHandle.fd],
    env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
  });
  let exited = false;
  const exit = new Promise(resolve =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const readLog = () => fs.readFile(logFile, 'utf8').catch(() => '');
  const signalGroup = signal => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };

  const replica = {
    name,
    baseUrl,
    logFile,
    readLog,
    isRunning: () => !exited,
    /** SIGKILL, no shutdown hooks: as a crashed node or an OOM kill. */
    async kill() {
      signalGroup('SIGKILL');
      await exit;
    },
    async stop() {
      if (!exited) {
        signalGroup('SIGTERM');
        await Promise.race([exit, new Promise(r => setTimeout(r, 15_000))]);
        if (!exited) await replica.kill();
      }
      await logHandle.close().catch(() => {});
    },
  };

  const started = Date.now();
  for (;;) {
    if (exited || Date.now() - started > timeoutMs) {
      await replica.stop();
      const tail = (await readLog()).split('\n').slice(-60).join('\n');
      throw new Error(
        `replica ${name} ${
          exited ? 'exited during start-up' : `not ready after ${timeoutMs} ms`
        }; log ends:\n${tail}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/api/mlops/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  replica.startupMs = Date.now() - started;
  return replica;
}
