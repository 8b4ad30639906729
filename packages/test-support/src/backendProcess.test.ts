import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  groupAlive,
  killGroup,
  startBackend,
  stopGroup,
  writeBackendPortConfig,
} from '@mlops-plugins/test-support';

// Stands in for packages/backend: listens where the last --config says, answers the health
// route, and leaves a child behind that ignores SIGTERM, as a stuck worker would.
const FAKE_BACKEND = `
const fs = require('node:fs');
const http = require('node:http');
const { spawn } = require('node:child_process');
const files = [];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--config') files.push(process.argv[++i]);
}
const child = spawn(
  process.execPath,
  ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'],
  { stdio: 'ignore' },
);
fs.writeFileSync(process.env.FAKE_CHILD_PID_FILE, String(child.pid));
console.log('fake backend, configs: ' + files.join(' '));
if (process.env.FAKE_MODE === 'exit') process.exit(3);
const { backend } = JSON.parse(fs.readFileSync(files[files.length - 1], 'utf8'));
http
  .createServer((req, res) => {
    const ready = process.env.FAKE_MODE !== 'never-ready';
    res.statusCode = ready && req.url === '/api/mlops/v1/health' ? 200 : 503;
    res.end();
  })
  .listen(backend.listen.port, backend.listen.host);
process.on('SIGTERM', () => process.exit(0));
`;

/** Running, as opposed to gone or a zombie nobody reaps. */
function processRuns(pid: number) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

describe('startBackend', () => {
  let dir: string;
  let backendDir: string;
  let childPidFile: string;
  const options = (mode = 'serve') => ({
    backendDir,
    workDir: dir,
    entry: 'index.js',
    nodeArgs: [],
    env: { FAKE_MODE: mode, FAKE_CHILD_PID_FILE: childPidFile },
    stopGraceMs: 500,
  });
  const leftChild = () => Number(fs.readFileSync(childPidFile, 'utf8'));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-support-'));
    backendDir = path.join(dir, 'packages/backend');
    fs.mkdirSync(backendDir, { recursive: true });
    fs.writeFileSync(path.join(backendDir, 'index.js'), FAKE_BACKEND);
    childPidFile = path.join(dir, 'child.pid');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts with the config files in order and the port overlay last; stop() ends its children too', async () => {
    const extra = path.join(dir, 'extra.yaml');
    const backend = await startBackend({
      ...options(),
      name: 'replica-a',
      configFiles: [extra],
      config: { mlops: { clusters: [] } },
      database: { client: 'pg', connection: 'postgresql://x', prefix: 'a_' },
    });
    try {
      expect(backend.baseUrl).toBe(`http://127.0.0.1:${backend.port}`);
      expect(backend.configFiles).toEqual([
        path.join(dir, 'app-config.yaml'),
        extra,
        path.join(dir, 'app-config.replica-a.extra.yaml'),
        path.join(dir, 'app-config.replica-a.yaml'),
      ]);
      const overlay = JSON.parse(
        fs.readFileSync(backend.configFiles[3], 'utf8'),
      );
      expect(overlay).toEqual({
        app: { baseUrl: backend.baseUrl },
        backend: {
          baseUrl: backend.baseUrl,
          listen: { port: backend.port, host: '127.0.0.1' },
          database: {
            client: 'pg',
            connection: 'postgresql://x',
            prefix: 'a_',
          },
        },
      });
      expect(backend.logFile).toBe(path.join(dir, 'replica-a.log'));
      expect(await backend.readLog()).toContain('fake backend, configs: ');
      expect(backend.isRunning()).toBe(true);
      expect(processRuns(leftChild())).toBe(true);
    } finally {
      await backend.stop();
    }
    expect(backend.isRunning()).toBe(false);
    expect(groupAlive(backend.pid)).toBe(false);
    expect(processRuns(leftChild())).toBe(false);
  });

  it('kill() ends the group at once', async () => {
    const backend = await startBackend({ ...options(), baseConfig: false });
    expect(backend.configFiles).toEqual([
      path.join(dir, 'app-config.backend.yaml'),
    ]);
    await backend.kill();
    expect(backend.isRunning()).toBe(false);
    expect(processRuns(leftChild())).toBe(false);
  });

  it('says when the backend exits during start-up, with its log, and leaves nothing running', async () => {
    await expect(
      startBackend({ ...options('exit'), name: 'doomed' }),
    ).rejects.toThrow(
      /^doomed exited during start-up; .*doomed\.log ends:\nfake backend, configs: /,
    );
    expect(processRuns(leftChild())).toBe(false);
  });

  it('gives up after timeoutMs when the health route never answers 2xx', async () => {
    await expect(
      startBackend({ ...options('never-ready'), timeoutMs: 1_500 }),
    ).rejects.toThrow(
      /^backend not ready after 1500 ms \(no 2xx from \/api\/mlops\/v1\/health\)/,
    );
    expect(processRuns(leftChild())).toBe(false);
  });
});

describe('writeBackendPortConfig', () => {
  it('writes the port overlay, with the own origin allowed for a browser', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-support-'));
    const file = path.join(dir, 'port.yaml');
    const { port, baseUrl } = await writeBackendPortConfig(file, {
      cors: true,
    });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        cors: { origin: baseUrl },
      },
    });
    fs.rmSync(dir, { recursive: true });
  });
});

describe('stopGroup and killGroup', () => {
  const group = (script: string) =>
    spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).pid!;

  it('stopGroup escalates to SIGKILL for a member that ignores SIGTERM', async () => {
    const pgid = group("trap '' TERM; sleep 30 & wait");
    await new Promise(r => setTimeout(r, 200));
    await stopGroup(pgid, 300);
    expect(groupAlive(pgid)).toBe(false);
  });

  it('killGroup ends every member at once', async () => {
    const pgid = group('sleep 30 & sleep 30 & wait');
    await killGroup(pgid);
    expect(groupAlive(pgid)).toBe(false);
  });
});
