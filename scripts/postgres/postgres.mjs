// A throwaway PostgreSQL (Debian's `postgresql` binaries) on 127.0.0.1 and a free port, with
// its data in a new temp dir, password auth, and no Unix socket. PostgreSQL refuses to run as
// root, so as root the server runs as the `postgres` system user the Debian package creates.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@mlops-plugins/test-support';

/** The directory holding initdb and postgres: MLOPS_POSTGRES_BINDIR, the newest Debian one, or pg_config's. */
export function findPostgresBinDir() {
  const candidates = [];
  if (process.env.MLOPS_POSTGRES_BINDIR) {
    candidates.push(process.env.MLOPS_POSTGRES_BINDIR);
  }
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const versions = fs
      .readdirSync(debianRoot)
      .filter(v => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map(v => path.join(debianRoot, v, 'bin')));
  }
  try {
    candidates.push(
      execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim(),
    );
  } catch {
    // no pg_config on PATH
  }
  const found = candidates.find(dir =>
    ['initdb', 'postgres'].every(b => fs.existsSync(path.join(dir, b))),
  );
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, postgres) not found; install the Debian package `postgresql` (bash scripts/ensure-system-packages.sh)',
    );
  }
  return found;
}

/** As root: the postgres user's ids, so files and processes belong to it. */
function serverUser() {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(
      execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }),
    );
    const gid = Number(
      execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }),
    );
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root, and there is no `postgres` user to run PostgreSQL as; install the Debian package `postgresql`',
    );
  }
}

function spawnAs(user, file, args, options) {
  return spawn(file, args, { ...options, ...(user ?? {}) });
}

function runAs(user, file, args) {
  return new Promise((resolve, reject) => {
    const child = spawnAs(user, file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${file} exited ${code}:\n${output}`)),
    );
  });
}

async function waitForServer(port, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const readLog = () => fs.readFileSync(logFile, 'utf8').slice(-4000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`postgres exited during start-up:\n${readLog()}`);
    }
    if (/ready to accept connections/.test(readLog())) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`postgres not ready after ${timeoutMs} ms:\n${readLog()}`);
}

/**
 * Starts PostgreSQL; resolves to `{ connectionString, port, version, stop }` once it accepts
 * connections. `stop()` shuts it down (fast mode, then SIGKILL) and removes its data.
 */
export async function startPostgres({
  timeoutMs = 60_000,
  log = () => {},
} = {}) {
  const binDir = findPostgresBinDir();
  const user = serverUser();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-postgres-'));
  const dataDir = path.join(workDir, 'data');
  const password = randomBytes(18).toString('base64url');
  const pwFile = path.join(workDir, 'pwfile');
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) {
    fs.chownSync(workDir, user.uid, user.gid);
    fs.chownSync(pwFile, user.uid, user.gid);
  }
  const removeWorkDir = () =>
    fs.rmSync(workDir, { recursive: true, force: true });

  let child;
  try {
    await runAs(user, path.join(binDir, 'initdb'), [
      `--pgdata=${dataDir}`,
      '--username=postgres',
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    fs.rmSync(pwFile);
    const port = await freePort();
    const logFile = path.join(workDir, 'postgres.log');
    const logFd = fs.openSync(logFile, 'w');
    if (user) fs.fchownSync(logFd, user.uid, user.gid);
    child = spawnAs(
      user,
      path.join(binDir, 'postgres'),
      [
        '-D',
        dataDir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `port=${port}`,
        '-c',
        'unix_socket_directories=',
        // Two backend replicas open a pool per plugin database each.
        '-c',
        'max_connections=400',
        // Throwaway data: durability costs time and buys nothing.
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { stdio: ['ignore', logFd, logFd] },
    );
    fs.closeSync(logFd);
    await waitForServer(port, child, logFile, timeoutMs);
    const version = fs
      .readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8')
      .trim();
    const connectionString = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
    log(`PostgreSQL ${version} on 127.0.0.1:${port} (pid ${child.pid})`);
    const server = child;
    let stopped;
    const stop = () => {
      stopped ??= (async () => {
        for (const [signal, waitMs] of [
          ['SIGINT', 15_000],
          ['SIGKILL', 5_000],
        ]) {
          if (server.exitCode !== null || server.signalCode !== null) break;
          server.kill(signal);
          const deadline = Date.now() + waitMs;
          while (
            server.exitCode === null &&
            server.signalCode === null &&
            Date.now() < deadline
          ) {
            await new Promise(r => setTimeout(r, 50));
          }
        }
        removeWorkDir();
      })();
      return stopped;
    };
    return { connectionString, port, version, pid: child.pid, stop, logFile };
  } catch (error) {
    child?.kill('SIGKILL');
    removeWorkDir();
    throw error;
  }
}
