// Brings up what the browser test needs, each part stopped again by the returned stop():
// a fresh sandbox (MLOPS_SANDBOX_NAME=e2e, apart from a developer's default one), and the real
// backend on a free 127.0.0.1 port, pointed at that sandbox and serving the built frontend.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBackendPortConfig } from '../smoke/backendPortConfig.mjs';
import { eventually as retry } from '../smoke/eventually.mjs';

export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const sandboxCli = path.join(repoRoot, 'packages/sandbox/bin/mlops-sandbox');
export const SANDBOX_NAME = process.env.MLOPS_E2E_SANDBOX_NAME || 'e2e';

/** Runs a command to completion within `timeoutMs`; rejects with its output otherwise. */
export function run(command, args, { timeoutMs, env, cwd = repoRoot }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(
        new Error(
          `${command} ${args.join(
            ' ',
          )}: no exit after ${timeoutMs} ms\n${output}`,
        ),
      );
    }, timeoutMs);
    child.on('exit', code => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else
        reject(
          new Error(`${command} ${args.join(' ')} exited ${code}\n${output}`),
        );
    });
  });
}

const sandbox = (args, timeoutMs, name) =>
  run(sandboxCli, args, {
    timeoutMs,
    env: { MLOPS_SANDBOX_NAME: name },
  });

/**
 * `down` (leftovers of an earlier run), then `up` of the sandbox called `name`; returns the
 * app config pointing at it.
 */
export async function startSandbox(workDir, log, name = SANDBOX_NAME) {
  await sandbox(['down'], 120_000, name);
  const started = Date.now();
  log(await sandbox(['up'], 300_000, name));
  const configFile = path.join(workDir, 'app-config.sandbox.yaml');
  await sandbox(['app-config', '--output', configFile], 60_000, name);
  return { configFile, startupMs: Date.now() - started };
}

export const stopSandbox = (name = SANDBOX_NAME) =>
  sandbox(['down'], 120_000, name);

/** Builds packages/app/dist unless it is there (command 2 builds it in an earlier step). */
export async function ensureFrontendBundle(log) {
  if (existsSync(path.join(repoRoot, 'packages/app/dist/index.html'))) return;
  log('packages/app/dist missing: building the frontend once');
  await run('yarn', ['workspace', 'app', 'build'], { timeoutMs: 900_000 });
}

/**
 * The real backend with app-config.yaml + `configFiles` (this repo's, or the app whose backend
 * package is `backendDir`); serves the frontend too. With
 * `watch: false` it runs without `backstage-cli package start`, whose file watcher restarts the
 * backend whenever a source file in the workspace changes.
 */
export async function startBackend(
  workDir,
  configFiles,
  timeoutMs = 240_000,
  { watch = true, backendDir = path.join(repoRoot, 'packages/backend') } = {},
) {
  const portConfig = path.join(workDir, 'app-config.e2e.yaml');
  const { baseUrl } = await writeBackendPortConfig(portConfig, { cors: true });
  const logFile = path.join(workDir, 'backend.log');
  const logHandle = await fs.open(logFile, 'w');
  const config = ['--config', '../../app-config.yaml'];
  for (const file of [...configFiles, portConfig])
    config.push('--config', file);
  const [command, args] = watch
    ? ['yarn', ['start', ...config]]
    : [
        process.execPath,
        [
          '--enable-source-maps',
          '--require',
          '@backstage/cli-node/config/nodeTransform.cjs',
          'src/index',
          ...config,
        ],
      ];
  const child = spawn(command, args, {
    cwd: backendDir,
    detached: true,
    stdio: ['ignore', logHandle.fd, logHandle.fd],
    env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const readLog = () => fs.readFile(logFile, 'utf8').catch(() => '');

  const stop = async () => {
    for (const [signal, waitMs] of [
      ['SIGTERM', 15_000],
      ['SIGKILL', 5_000],
    ]) {
      if (exited) break;
      try {
        process.kill(-child.pid, signal);
      } catch {
        break;
      }
      const deadline = Date.now() + waitMs;
      while (!exited && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
      }
    }
    await logHandle.close();
  };

  const started = Date.now();
  for (;;) {
    if (exited || Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(
        `backend ${
          exited ? 'exited during start-up' : `not ready after ${timeoutMs} ms`
        }; log:\n${await readLog()}`,
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
  return {
    baseUrl,
    stop,
    logFile,
    readLog,
    isRunning: () => !exited,
    startupMs: Date.now() - started,
  };
}

/** Polls `fn` until it returns a value without throwing, at most `timeoutMs`. */
export const eventually = (what, fn, timeoutMs = 60_000, everyMs = 1000) =>
  retry(what, fn, timeoutMs, everyMs);
