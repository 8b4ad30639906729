'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./freePort.cjs');
const { killGroup, stopGroup } = require('./processGroup.cjs');

// The package runs from its sources (never bundled), so its own path locates the repository.
const packageDir = path.dirname(require.resolve('../package.json'));
const repoRoot = path.resolve(packageDir, '../..');

/**
 * Writes the app-config overlay that puts a backend on `port` (default: a free one) of
 * 127.0.0.1; `cors` also lets a browser on the backend's own origin call it, `database`
 * becomes `backend.database`. JSON, which the config loader reads as YAML.
 */
async function writeBackendPortConfig(file, { cors, port, database } = {}) {
  const listenPort = port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${listenPort}`;
  const backend = {
    baseUrl,
    listen: { port: listenPort, host: '127.0.0.1' },
    ...(cors ? { cors: { origin: baseUrl } } : {}),
    ...(database ? { database } : {}),
  };
  await fsp.writeFile(
    file,
    `${JSON.stringify({ app: { baseUrl }, backend }, null, 2)}\n`,
  );
  return { port: listenPort, baseUrl };
}

/** Backstage's TypeScript transform for `node --require`, from the backend's own install. */
function nodeTransform(backendDir) {
  const fromBackend = { paths: [backendDir, packageDir] };
  for (const id of [
    '@backstage/cli-node/config/nodeTransform.cjs',
    '@backstage/cli/config/nodeTransform.cjs',
  ]) {
    try {
      return require.resolve(id, fromBackend);
    } catch {
      // try the next
    }
  }
  throw new Error(
    `neither @backstage/cli-node nor @backstage/cli resolves from ${backendDir}; install the backend's dependencies`,
  );
}

function commandLine(options, configFiles) {
  const configArgs = configFiles.flatMap(file => ['--config', file]);
  if (options.runner === 'yarn-start') {
    // backstage-cli package start: the developer's path, whose watcher restarts the backend
    // when a source file changes.
    return ['yarn', ['start', ...configArgs]];
  }
  return [
    process.execPath,
    [
      ...(options.nodeArgs ?? ['--enable-source-maps']),
      '--require',
      nodeTransform(options.backendDir),
      options.entry ?? 'src/index.ts',
      ...configArgs,
    ],
  ];
}

// Process groups of the backends not stopped yet, one set per process: jest loads this module
// once per test file. A test that crashes before its stop() must not leave a backend holding
// ports and databases.
const RUNNING = Symbol.for('@mlops-plugins/test-support/running');
const running =
  globalThis[RUNNING] ??
  (globalThis[RUNNING] = (() => {
    const pgids = new Set();
    process.once('exit', () => {
      for (const pgid of pgids) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    });
    return pgids;
  })());

const tail = (text, lines) => text.split('\n').slice(-lines).join('\n');

/**
 * Starts the real Backstage backend as a child process in a process group of its own, with
 * app-config.yaml, `configFiles`, `config` and an overlay for its port (and `database`), its
 * output in `logFile`; resolves once `readyPath` answers 2xx. `stop()` ends the whole group.
 */
async function startBackend(input = {}) {
  const name = input.name ?? 'backend';
  const backendDir =
    input.backendDir ?? path.join(repoRoot, 'packages/backend');
  const options = { ...input, backendDir };
  const workDir =
    input.workDir ??
    (await fsp.mkdtemp(path.join(os.tmpdir(), `mlops-${name}-`)));
  const timeoutMs = input.timeoutMs ?? 240_000;
  const pollMs = input.pollMs ?? 500;
  const readyPath = input.readyPath ?? '/api/mlops/v1/health';
  const logFile = input.logFile ?? path.join(workDir, `${name}.log`);

  const configFiles = [];
  if (input.baseConfig !== false) {
    configFiles.push(
      input.baseConfig ?? path.resolve(backendDir, '../../app-config.yaml'),
    );
  }
  configFiles.push(...(input.configFiles ?? []));
  if (input.config) {
    const file = path.join(workDir, `app-config.${name}.extra.yaml`);
    await fsp.writeFile(file, `${JSON.stringify(input.config, null, 2)}\n`);
    configFiles.push(file);
  }
  const portConfig = path.join(workDir, `app-config.${name}.yaml`);
  const { port, baseUrl } = await writeBackendPortConfig(portConfig, {
    cors: input.cors,
    port: input.port,
    database: input.database,
  });
  configFiles.push(portConfig);

  const [command, args] = commandLine(options, configFiles);
  const log = fs.openSync(logFile, 'w');
  let child;
  try {
    child = spawn(command, args, {
      cwd: backendDir,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        FORCE_COLOR: '0',
        ...input.env,
      },
    });
  } finally {
    // The child holds its own copy of the descriptor.
    fs.closeSync(log);
  }
  const pid = child.pid;
  let exited = false;
  let spawnError;
  const exit = new Promise(resolve => {
    child.once('error', error => {
      spawnError = error;
      exited = true;
      resolve();
    });
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  if (pid !== undefined) running.add(pid);

  const readLog = () => fsp.readFile(logFile, 'utf8').catch(() => '');
  const forget = () => running.delete(pid);
  const backend = {
    name,
    baseUrl,
    port,
    pid,
    logFile,
    workDir,
    configFiles,
    startupMs: 0,
    readLog,
    /** Whether the process it started (yarn, or node with the backend) is still running. */
    isRunning: () => !exited,
    async stop() {
      if (pid !== undefined) await stopGroup(pid, input.stopGraceMs);
      await exit;
      forget();
    },
    async kill() {
      if (pid !== undefined) await killGroup(pid);
      await exit;
      forget();
    },
  };

  const started = Date.now();
  for (;;) {
    if (exited || Date.now() - started > timeoutMs) {
      let why = `not ready after ${timeoutMs} ms (no 2xx from ${readyPath})`;
      if (spawnError) {
        why = `could not start ${command}: ${spawnError.message}`;
      } else if (exited) {
        why = 'exited during start-up';
      }
      await backend.stop();
      throw new Error(
        `${name} ${why}; ${logFile} ends:\n${tail(await readLog(), 100)}`,
      );
    }
    const ready = await fetch(`${baseUrl}${readyPath}`, {
      signal: AbortSignal.timeout(5_000),
    })
      .then(res => res.ok)
      .catch(() => false);
    if (ready) break;
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
  backend.startupMs = Date.now() - started;
  return backend;
}

module.exports = { repoRoot, startBackend, writeBackendPortConfig };
