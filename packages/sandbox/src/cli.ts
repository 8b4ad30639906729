import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildTier2Binaries, TIER2_VERSIONS } from './cluster/binaries';
import { startSandboxStack, stopStackPids } from './cluster/stack';
import {
  appConfigYaml,
  processTable,
  readStackState,
  stackStateOf,
  writeStackState,
  type StackState,
} from './cluster/stackState';
import { startControlPlane, stopControlPlanePids } from './controlPlane';
import { isPidAlive } from './processes';
import { probe } from './readiness';
import { readState, sandboxName, sandboxWorkDir } from './state';
import { KUBECONFIG_ENV } from './testing/useControlPlane';

const say = (line: string) => process.stderr.write(`mlops-sandbox: ${line}\n`);

async function isHealthy(state: StackState): Promise<boolean> {
  if (processTable(state).some(p => !p.alive)) return false;
  const ca = fs.readFileSync(state.caFile);
  return (
    (await probe(`${state.server}/readyz`, ca)) === 200 &&
    (await probe(`${state.prometheusUrl}/-/ready`)) === 200
  );
}

async function up(): Promise<void> {
  const name = sandboxName();
  const started = Date.now();
  const existing = readStackState(name);
  if (existing && (await isHealthy(existing))) {
    say(`already running (since ${existing.startedAt})`);
    summary(existing);
    return;
  }
  if (existing) {
    say('stopping what is left of an earlier sandbox');
    await stopStackPids(existing.pids, existing.simPidsFile);
  }
  // A tier-1 sandbox from an older `up` (state.json) is stopped too.
  const tier1 = readState(name);
  if (tier1) await stopControlPlanePids(tier1.pids);
  const workDir = sandboxWorkDir(name);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  say(
    'binaries: building or reusing the cached ones (go/kube, go/etcd, go/kwok, go/inference-sim, go/kuberay)',
  );
  buildTier2Binaries();
  const stack = await startSandboxStack({
    workDir,
    detached: true,
    build: false,
    log: say,
  });
  const state = stackStateOf(name, stack);
  writeStackState(state);
  say(`up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  summary(state);
}

function summary(state: StackState) {
  process.stdout.write(
    [
      `API server:     ${state.server}`,
      `kubeconfig:     ${state.kubeconfigPath}  (contexts mlops-sandbox-admin, mlops-sandbox-reconciler)`,
      `Prometheus:     ${state.prometheusUrl}`,
      `DCGM exporter:  ${state.dcgmExporterUrl}  (stand-in)`,
      `KubeRay:        operator ${
        TIER2_VERSIONS.kuberay
      } (real), log ${path.join(state.workDir, 'kuberay-operator.log')}`,
      `namespaces:     ${state.workloadNamespaces.join(', ')}`,
      `app config:     mlops-sandbox app-config > app-config.local.yaml`,
      `try:            kubectl --kubeconfig ${state.kubeconfigPath} get nodes,pods -A`,
      '',
    ].join('\n'),
  );
}

async function down(): Promise<void> {
  const name = sandboxName();
  const state = readStackState(name);
  const tier1 = readState(name);
  if (!state && !tier1) {
    say('nothing to stop');
    return;
  }
  if (state) await stopStackPids(state.pids, state.simPidsFile);
  if (tier1) await stopControlPlanePids(tier1.pids);
  fs.rmSync(sandboxWorkDir(name), { recursive: true, force: true });
  say(
    'stopped the stand-ins, Prometheus, the KubeRay operator, KWOK, kube-scheduler, kube-controller-manager, kube-apiserver and etcd',
  );
}

async function status(): Promise<number> {
  const state = readStackState();
  if (!state) {
    process.stdout.write('sandbox: not running\n');
    return 1;
  }
  const healthy = await isHealthy(state);
  const sims = fs.existsSync(state.simPidsFile)
    ? fs
        .readFileSync(state.simPidsFile, 'utf8')
        .split('\n')
        .filter(l => Number(l) > 0 && isPidAlive(Number(l))).length
    : 0;
  process.stdout.write(
    [
      `sandbox ${state.name}: ${healthy ? 'running' : 'NOT healthy'} (started ${
        state.startedAt
      })`,
      ...processTable(state).map(
        p =>
          `  ${p.name.padEnd(24)} pid ${String(p.pid).padEnd(8)} ${
            p.alive ? 'alive' : 'gone'
          }`,
      ),
      `  vLLM simulators          ${sims} running`,
      `  API server               ${state.server}`,
      `  Prometheus               ${state.prometheusUrl}`,
      `  DCGM exporter stand-in   ${state.dcgmExporterUrl}`,
      `  kubeconfig               ${state.kubeconfigPath}`,
      '',
    ].join('\n'),
  );
  return healthy ? 0 : 1;
}

function appConfig(args: string[]): number {
  const state = readStackState();
  if (!state) {
    say('not running; start it with: mlops-sandbox up');
    return 1;
  }
  const text = appConfigYaml(state);
  const out = args[0] === '--output' ? args[1] : undefined;
  if (out) {
    fs.writeFileSync(out, text, { mode: 0o600 });
    say(`wrote ${out}`);
  } else {
    process.stdout.write(text);
  }
  return 0;
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
    case 'app-config':
      return appConfig(rest);
    case 'exec':
      return exec(rest[0] === '--' ? rest.slice(1) : rest);
    default:
      process.stderr.write(
        'usage: mlops-sandbox up | down | status | app-config [--output FILE] | exec -- <command>\n' +
          '  up          start the tier-2 sandbox (idempotent): control plane, controller-manager, scheduler,\n' +
          '              KWOK GPU nodes, the KubeRay operator, Prometheus, stand-ins (vLLM simulators, load, DCGM,\n' +
          '              PyTorchJob and ScaledObject status, Ray dashboard)\n' +
          '  down        stop everything `up` started\n' +
          '  status      show what runs (exit 1 when not running or unhealthy)\n' +
          '  app-config  print (or write) app-config.local.yaml pointing Backstage at the sandbox\n' +
          '  exec        run a command with a fresh control plane (MLOPS_SANDBOX_KUBECONFIG set), then stop it\n',
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
