import type { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startControlPlane, type ControlPlane } from '../controlPlane';
import { SANDBOX_PACKAGE_DIR } from '../paths';
import { freePort } from '../ports';
import {
  startProcess,
  stopPid,
  tailLog,
  type SandboxProcess,
} from '../processes';
import { rawRequest, serverSideApply } from '../rawApi';
import { allowWorkloadNamespace } from '../rbac';
import { waitForOk } from '../readiness';
import type { AgentConfig } from './agent';
import {
  buildTier2Binaries,
  requireTier2Binaries,
  TIER2_VERSIONS,
} from './binaries';
import { startControllerManager, startScheduler } from './kubeComponents';
import { startKubeRayOperator } from './kuberay';
import { createFakeNodes, FAKE_NODES, startKwok } from './kwok';
import type { LoadOptions } from './loadGenerator';
import { startPrometheus } from './prometheus';

export const DEFAULT_WORKLOAD_NAMESPACES = ['ml-serving', 'ml-training'];
/** The read-only identity the Backstage Kubernetes plugin uses against the sandbox. */
export const BACKSTAGE_VIEWER = {
  namespace: 'kube-system',
  name: 'backstage-kubernetes',
};

export interface SandboxStackOptions {
  /** Default: a new temp dir, removed on stop. */
  workDir?: string;
  /** Let the processes outlive this Node process (`mlops-sandbox up`). */
  detached?: boolean;
  log?: (line: string) => void;
  crdsDir?: string;
  /** Build missing binaries first (cached builds take well under a second). Default true. */
  build?: boolean;
  load?: Partial<LoadOptions>;
  scrapeIntervalSeconds?: number;
  workloadNamespaces?: string[];
}

/** Pids of every process of the stack, in stop order (the control plane last). */
export interface StackPids {
  agent: number;
  kuberayOperator: number;
  prometheus: number;
  kwok: number;
  kubeScheduler: number;
  kubeControllerManager: number;
  kubeApiserver: number;
  etcd: number;
}

export interface SandboxStack {
  controlPlane: ControlPlane;
  kubeconfigPath: string;
  server: string;
  prometheusUrl: string;
  dcgmExporterUrl: string;
  workDir: string;
  pids: StackPids;
  /** File with the simulator pids the agent runs (for `down` when the agent died). */
  simPidsFile: string;
  /** Token files: the reconciler's identity and a read-only one for the Kubernetes plugin. */
  tokens: { reconciler: string; viewer: string };
  /** Milliseconds from start until each component was ready. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/** Stops a stack's processes in order; the simulators the agent ran too, should it be gone. */
export async function stopStackPids(
  pids: Partial<StackPids>,
  simPidsFile?: string,
) {
  await stopPid(pids.agent ?? -1, 15_000);
  if (simPidsFile && fs.existsSync(simPidsFile)) {
    for (const line of fs.readFileSync(simPidsFile, 'utf8').split('\n')) {
      if (Number(line) > 0) await stopPid(Number(line), 5000);
    }
    fs.rmSync(simPidsFile, { force: true });
  }
  for (const key of [
    'kuberayOperator',
    'prometheus',
    'kwok',
    'kubeScheduler',
    'kubeControllerManager',
  ] as const) {
    await stopPid(pids[key] ?? -1, 10_000);
  }
  // The API server before etcd: the other way round its shutdown hangs for a minute.
  await stopPid(pids.kubeApiserver ?? -1, 15_000);
  await stopPid(pids.etcd ?? -1, 10_000);
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  describe: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not ready after ${timeoutMs} ms\n${describe()}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

function alive(p: SandboxProcess, what: string) {
  if (!p.isRunning()) {
    throw new Error(`${what} exited:\n${tailLog(p.logFile)}`);
  }
}

async function nodesReady(
  kc: KubeConfig,
  names: string[],
): Promise<boolean | undefined> {
  const res = await rawRequest(kc, 'GET', '/api/v1/nodes');
  const ready = new Set(
    (res.body?.items ?? [])
      .filter((n: any) =>
        n.status?.conditions?.some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
      )
      .map((n: any) => n.metadata.name),
  );
  return names.every(n => ready.has(n)) || undefined;
}

/** A read-only ServiceAccount for Backstage's Kubernetes plugin, and a token for it. */
async function viewerToken(kc: KubeConfig): Promise<string> {
  const { namespace, name } = BACKSTAGE_VIEWER;
  const fm = { fieldManager: 'mlops-sandbox', force: true };
  await serverSideApply(
    kc,
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}`,
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace },
    },
    fm,
  );
  const role = 'mlops-sandbox-crd-viewer';
  await serverSideApply(
    kc,
    `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role}`,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: role },
      rules: [
        {
          apiGroups: [
            'kubeflow.org',
            'trainer.kubeflow.org',
            'ray.io',
            'keda.sh',
            'serving.kserve.io',
            'monitoring.coreos.com',
          ],
          resources: ['*'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['metrics.k8s.io'],
          resources: ['pods'],
          verbs: ['get', 'list'],
        },
      ],
    },
    fm,
  );
  for (const roleName of ['view', role]) {
    await serverSideApply(
      kc,
      `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${name}-${roleName}`,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${name}-${roleName}` },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: roleName,
        },
        subjects: [{ kind: 'ServiceAccount', name, namespace }],
      },
      fm,
    );
  }
  const res = await rawRequest(
    kc,
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 30 * 24 * 3600 },
    },
  );
  if (res.status >= 300) {
    throw new Error(
      `TokenRequest for ${namespace}/${name} failed (${res.status}): ${res.body?.message}`,
    );
  }
  return res.body.status.token;
}

/**
 * Tier 2: the control plane plus kube-controller-manager, kube-scheduler, KWOK with two fake
 * 8×H100 nodes and a CPU node, the real KubeRay operator, Prometheus, and the agent running
 * the stand-ins (vLLM simulators, load, DCGM exporter, PyTorchJob and ScaledObject status,
 * the Ray dashboard's Jobs API). Every process binds 127.0.0.1 on free ports; everything
 * started is stopped again if a later step fails.
 */
export async function startSandboxStack(
  options: SandboxStackOptions = {},
): Promise<SandboxStack> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const since = () => Date.now() - started;
  const timings: Record<string, number> = {};
  if (options.build !== false) {
    buildTier2Binaries({ stdio: 'pipe' });
    timings.binaries = since();
  }
  const bins = requireTier2Binaries(log);
  const ownWorkDir = !options.workDir;
  const workDir =
    options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-sandbox-'));
  fs.mkdirSync(workDir, { recursive: true });
  const simPidsFile = path.join(workDir, 'sim-pids');
  const pids: Partial<StackPids> = {};
  let plane: ControlPlane | undefined;

  try {
    plane = await startControlPlane({
      workDir,
      detached: options.detached,
      crdsDir: options.crdsDir,
    });
    pids.etcd = plane.pids.etcd;
    pids.kubeApiserver = plane.pids.kubeApiserver;
    timings.controlPlane = since();
    log(
      `kube-apiserver + etcd   ready  ${plane.server}  (${plane.crds.length} CRDs, ${timings.controlPlane} ms)`,
    );
    const kc = plane.adminKubeConfig;
    const common = {
      workDir,
      kubeconfigPath: plane.kubeconfigPath,
      detached: options.detached,
    };

    const cm = startControllerManager(bins.kubeControllerManager, common);
    pids.kubeControllerManager = cm.pid;
    const scheduler = startScheduler(bins.kubeScheduler, common);
    pids.kubeScheduler = scheduler.pid;
    // The controller-manager is working once its service-account controller made `default`.
    await waitFor(
      'kube-controller-manager',
      60_000,
      async () => {
        alive(cm, 'kube-controller-manager');
        const res = await rawRequest(
          kc,
          'GET',
          '/api/v1/namespaces/default/serviceaccounts/default',
        );
        return res.status === 200 || undefined;
      },
      () => tailLog(cm.logFile),
    );
    timings.controllerManager = since();
    log(
      `kube-controller-manager ready  pid ${cm.pid}  (${timings.controllerManager} ms)`,
    );
    // No leader election and no serving port: the scheduler is ready when it stays up.
    await new Promise(r => setTimeout(r, 500));
    alive(scheduler, 'kube-scheduler');
    timings.scheduler = since();
    log(`kube-scheduler          ready  pid ${scheduler.pid}`);

    await createFakeNodes(kc);
    const kwok = startKwok(bins.kwok, bins.kwokStageDir, common);
    pids.kwok = kwok.pid;
    await waitFor(
      'KWOK nodes',
      60_000,
      async () => {
        alive(kwok, 'kwok');
        return nodesReady(
          kc,
          FAKE_NODES.map(n => n.name),
        );
      },
      () => tailLog(kwok.logFile),
    );
    timings.kwok = since();
    log(
      `kwok                    ready  ${FAKE_NODES.map(
        n => `${n.name}${n.gpus ? ` (${n.gpus}× H100)` : ''}`,
      ).join(', ')}`,
    );

    const [rayMetricsPort, rayProbePort, rayDashboardPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const kuberay = startKubeRayOperator(bins.kuberayOperator, {
      ...common,
      metricsPort: rayMetricsPort,
      probePort: rayProbePort,
      dashboardProxyPort: rayDashboardPort,
    });
    pids.kuberayOperator = kuberay.pid;
    // /readyz answers once the manager has started; its caches sync right after.
    await waitForOk(`http://127.0.0.1:${rayProbePort}/readyz`, {
      timeoutMs: 60_000,
      alive: kuberay.isRunning,
      describe: () => tailLog(kuberay.logFile),
    });
    timings.kuberayOperator = since();
    log(
      `kuberay-operator        ready  pid ${kuberay.pid}, ${TIER2_VERSIONS.kuberay}, all namespaces, webhooks off  (${timings.kuberayOperator} ms)`,
    );

    for (const ns of options.workloadNamespaces ??
      DEFAULT_WORKLOAD_NAMESPACES) {
      await allowWorkloadNamespace(kc, ns);
    }
    const viewer = await viewerToken(kc);
    const tokens = {
      reconciler: path.join(workDir, 'mlops-reconciler.token'),
      viewer: path.join(workDir, 'backstage-kubernetes.token'),
    };
    fs.writeFileSync(
      tokens.reconciler,
      plane.reconcilerKubeConfig.getCurrentUser()!.token!,
      { mode: 0o600 },
    );
    fs.writeFileSync(tokens.viewer, viewer, { mode: 0o600 });

    const [promPort, dcgmPort] = [await freePort(), await freePort()];
    const prometheusUrl = `http://127.0.0.1:${promPort}`;
    const prometheus = startPrometheus(bins.prometheus, {
      workDir,
      port: promPort,
      selfAddress: `127.0.0.1:${promPort}`,
      dcgmAddress: `127.0.0.1:${dcgmPort}`,
      scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 5,
      detached: options.detached,
    });
    pids.prometheus = prometheus.pid;
    await waitForOk(`${prometheusUrl}/-/ready`, {
      timeoutMs: 60_000,
      alive: prometheus.isRunning,
      describe: () => tailLog(prometheus.logFile),
    });
    timings.prometheus = since();
    log(`prometheus              ready  ${prometheusUrl}`);

    const agentConfig: AgentConfig = {
      kubeconfigPath: plane.kubeconfigPath,
      workDir,
      prometheusUrl,
      dcgmPort,
      rayDashboardPort,
      inferenceSimBinary: bins.inferenceSim,
      load: {
        rps: Number(
          process.env.MLOPS_SANDBOX_LOAD_RPS ?? options.load?.rps ?? 4,
        ),
        durationSeconds: Number(
          process.env.MLOPS_SANDBOX_LOAD_SECONDS ??
            options.load?.durationSeconds ??
            3600,
        ),
        maxInFlight: options.load?.maxInFlight ?? 128,
      },
      simPidsFile,
    };
    const agentConfigFile = path.join(workDir, 'agent.json');
    fs.writeFileSync(agentConfigFile, JSON.stringify(agentConfig, null, 2));
    const transform = require.resolve(
      '@backstage/cli/config/nodeTransform.cjs',
    );
    const agent = startProcess(
      'mlops-sandbox agent',
      process.execPath,
      [
        '--require',
        transform,
        path.join(SANDBOX_PACKAGE_DIR, 'src', 'cluster', 'agent.ts'),
        agentConfigFile,
      ],
      { logFile: path.join(workDir, 'agent.log'), detached: options.detached },
    );
    pids.agent = agent.pid;
    const dcgmExporterUrl = `http://127.0.0.1:${dcgmPort}/metrics`;
    await waitForOk(dcgmExporterUrl, {
      timeoutMs: 60_000,
      alive: agent.isRunning,
      describe: () => tailLog(agent.logFile),
    });
    timings.agent = since();
    log(
      `stand-ins (agent)       ready  DCGM exporter ${dcgmExporterUrl}, vLLM simulators per serving pod, load ${agentConfig.load.rps} rps for ${agentConfig.load.durationSeconds}s`,
    );

    const controlPlane = plane;
    const allPids = pids as StackPids;
    return {
      controlPlane,
      kubeconfigPath: plane.kubeconfigPath,
      server: plane.server,
      prometheusUrl,
      dcgmExporterUrl,
      workDir,
      pids: allPids,
      simPidsFile,
      tokens,
      timings,
      async stop() {
        await stopStackPids(allPids, simPidsFile);
        if (ownWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopStackPids(pids, simPidsFile);
    if (ownWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
