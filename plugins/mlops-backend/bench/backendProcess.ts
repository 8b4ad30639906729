/**
 * The real Backstage backend (packages/backend/src/index.ts, every plugin it adds) as a child
 * process on 127.0.0.1 with extra config files. Started with plain `node` and the CLI's
 * TypeScript transform rather than `yarn start`, so that edits to the source tree during a
 * benchmark do not make the dev watcher restart it mid-run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');

export interface BackendProcess {
  baseUrl: string;
  pid: number;
  logFile: string;
  isRunning(): boolean;
  stop(): Promise<void>;
}

export async function startBackendProcess(options: {
  port: number;
  configFiles: string[];
  logFile: string;
  timeoutMs?: number;
}): Promise<BackendProcess> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const portConfig = path.join(path.dirname(options.logFile), 'port.yaml');
  fs.writeFileSync(
    portConfig,
    [
      'app:',
      `  baseUrl: ${baseUrl}`,
      'backend:',
      `  baseUrl: ${baseUrl}`,
      '  listen:',
      `    port: ${options.port}`,
      '    host: 127.0.0.1',
      '',
    ].join('\n'),
  );
  const configArgs = [
    path.join(repoRoot, 'app-config.yaml'),
    ...options.configFiles,
    portConfig,
  ].flatMap(file => ['--config', file]);
  const out = fs.openSync(options.logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      '--require',
      path.join(
        repoRoot,
        'node_modules/@backstage/cli/config/nodeTransform.cjs',
      ),
      'src/index.ts',
      ...configArgs,
    ],
    {
      cwd: path.join(repoRoot, 'packages/backend'),
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
    },
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
    for (const [signal, waitMs] of [
      ['SIGTERM', 15_000],
      ['SIGKILL', 5_000],
    ] as const) {
      if (exited) return;
      try {
        process.kill(-child.pid!, signal);
      } catch {
        return;
      }
      await Promise.race([exit, new Promise(r => setTimeout(r, waitMs))]);
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  for (;;) {
    if (exited || Date.now() > deadline) {
      await stop();
      const log = fs.readFileSync(options.logFile, 'utf8').slice(-4000);
      throw new Error(
        `backend ${
          exited ? 'exited during start-up' : 'not ready in time'
        }; log ends:\n${log}`,
      );
    }
    const ok = await fetch(`${baseUrl}/api/mlops/v1/health`)
      .then(r => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise(r => setTimeout(r, 500));
  }
  return {
    baseUrl,
    pid: child.pid!,
    logFile: options.logFile,
    isRunning: () => !exited,
    stop,
  };
}
