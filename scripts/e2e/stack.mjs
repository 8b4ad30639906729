// Brings up what the browser test needs, each part stopped again by the returned stop():
// a fresh sandbox (MLOPS_SANDBOX_NAME=e2e, apart from a developer's default one), and the real
// backend on a free 127.0.0.1 port, pointed at that sandbox and serving the built frontend.
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  repoRoot,
  runCommand,
  startBackend as start,
} from '@mlops-plugins/test-support';

export { repoRoot };
export { eventually } from '@mlops-plugins/test-support';

const sandboxCli = path.join(repoRoot, 'packages/sandbox/bin/mlops-sandbox');
export const SANDBOX_NAME = process.env.MLOPS_E2E_SANDBOX_NAME || 'e2e';

/** Runs a command to completion within `timeoutMs`; rejects with its output otherwise. */
export const run = (command, args, { timeoutMs, env, cwd = repoRoot }) =>
  runCommand(command, args, { timeoutMs, env, cwd });

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
 * package is `backendDir`); serves the frontend too. With `watch: false` it runs without
 * `backstage-cli package start`, whose file watcher restarts the backend whenever a source file
 * in the workspace changes.
 */
export const startBackend = (
  workDir,
  configFiles,
  timeoutMs = 240_000,
  { watch = true, backendDir } = {},
) =>
  start({
    workDir,
    configFiles,
    timeoutMs,
    backendDir,
    runner: watch ? 'yarn-start' : 'node',
    cors: true,
  });
