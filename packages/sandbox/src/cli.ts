import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startControlPlane, stopControlPlanePids } from './controlPlane';
import { SANDBOX_PACKAGE_DIR } from './paths';
import { isPidAlive } from './processes';
import { probe } from './readiness';
import { readState, sandboxName, sandboxWorkDir, writeState } from './state';
import { KUBECONFIG_ENV } from './testing/useControlPlane';

const say = (line: string) => process.stderr.write(`mlops-sandbox: ${line}\n`);

function buildBinaries(): void {
  const script = path.join(SANDBOX_PACKAGE_DIR, 'scripts', 'build-binaries.sh');
  const result = spawnSync('bash', [script], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`building the control-plane binaries failed (${script})`);
  }
}

async function isUp(): Promise<boolean> {
  const state = readState();
  if (
    !state ||
    !isPidAlive(state.pids.etcd) ||
    !isPidAlive(state.pids.kubeApiserver)
  ) {
    return false;
  }
  const caFile = path.join(state.workDir, 'pki', 'serving', 'apiserver.crt');
  return (
    (await probe(`${state.server}/readyz`, fs.readFileSync(caFile))) === 200
  );
}

async function up(): Promise<void> {
  const name = sandboxName();
  if (await isUp()) {
    const state = readState()!;
    say(`already running (since ${state.startedAt})`);
    summary(state.server, state.kubeconfigPath);
    return;
  }
  const stale = readState();
  if (stale) {
    await stopControlPlanePids(stale.pids);
  }
  const workDir = sandboxWorkDir(name);
  fs.rmSync(workDir, { recursive: true, force: true });
  say('binaries: building or reusing the cached ones');
  buildBinaries();
  const plane = await startControlPlane({ workDir, detached: true, log: say });
  writeState({
    name,
    server: plane.server,
    kubeconfigPath: plane.kubeconfigPath,
    workDir,
    pids: plane.pids,
    startedAt: new Date().toISOString(),
  });
  summary(plane.server, plane.kubeconfigPath);
}

function summary(server: string, kubeconfigPath: string) {
  process.stdout.write(
    [
      `API server:  ${server}`,
      `kubeconfig:  ${kubeconfigPath}  (contexts mlops-sandbox-admin, mlops-sandbox-reconciler)`,
      `try:         kubectl --kubeconfig ${kubeconfigPath} get crds`,
      '',
    ].join('\n'),
  );
}

async function down(): Promise<void> {
  const state = readState();
  if (!state) {
    say('nothing to stop');
    return;
  }
  await stopControlPlanePids(state.pids);
  fs.rmSync(state.workDir, { recursive: true, force: true });
  say('stopped kube-apiserver and etcd');
}

async function status(): Promise<number> {
  const state = readState();
  if (!state) {
    process.stdout.write('sandbox: not running\n');
    return 1;
  }
  const up_ = await isUp();
  process.stdout.write(
    [
      `sandbox ${state.name}: ${up_ ? 'running' : 'NOT healthy'} (started ${
        state.startedAt
      })`,
      `  etcd            pid ${state.pids.etcd} ${
        isPidAlive(state.pids.etcd) ? 'alive' : 'gone'
      }`,
      `  kube-apiserver  pid ${state.pids.kubeApiserver} ${
        isPidAlive(state.pids.kubeApiserver) ? 'alive' : 'gone'
      }  ${state.server}`,
      `  kubeconfig      ${state.kubeconfigPath}`,
      '',
    ].join('\n'),
  );
  return up_ ? 0 : 1;
}

/** Runs a command with a control plane of its own, stopped afterwards whatever happens. */
async function exec(command: string[]): Promise<number> {
  if (command.length === 0) {
    throw new Error('usage: mlops-sandbox exec -- <command> [args...]');
  }
  const plane = await startControlPlane({ log: say });
  say(
    `kube-apiserver /readyz after ${plane.timings.readyzMs} ms, CRDs Established after ${plane.timings.crdsEstablishedMs} ms`,
  );
  const child = spawn(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, [KUBECONFIG_ENV]: plane.kubeconfigPath },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>(resolve => {
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
  await plane.stop();
  say('control plane stopped');
  return code;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      await up();
      return 0;
    case 'down':
      await down();
      return 0;
    case 'status':
      return status();
    case 'exec':
      return exec(rest[0] === '--' ? rest.slice(1) : rest);
    default:
      process.stderr.write(
        'usage: mlops-sandbox up | down | status | exec -- <command>\n' +
          '  up      start etcd + kube-apiserver with the CRDs (idempotent), print the kubeconfig\n' +
          '  down    stop what `up` started\n' +
          '  status  show what runs (exit 1 when not running)\n' +
          '  exec    run a command with a fresh control plane (MLOPS_SANDBOX_KUBECONFIG set), then stop it\n',
      );
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    say(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
