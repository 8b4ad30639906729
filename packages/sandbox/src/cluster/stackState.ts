import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../paths';
import { isPidAlive } from '../processes';
import { sandboxName, sandboxWorkDir } from '../state';
import {
  DEFAULT_WORKLOAD_NAMESPACES,
  type SandboxStack,
  type StackPids,
} from './stack';

/** What `mlops-sandbox up` leaves behind for `down`, `status` and `app-config`. */
export interface StackState {
  name: string;
  server: string;
  kubeconfigPath: string;
  caFile: string;
  prometheusUrl: string;
  dcgmExporterUrl: string;
  workDir: string;
  pids: StackPids;
  simPidsFile: string;
  tokens: { reconciler: string; viewer: string };
  workloadNamespaces: string[];
  startedAt: string;
  timings: Record<string, number>;
}

const stateFile = (name: string) =>
  path.join(sandboxWorkDir(name), 'stack.json');

export function stackStateOf(name: string, stack: SandboxStack): StackState {
  return {
    name,
    server: stack.server,
    kubeconfigPath: stack.kubeconfigPath,
    caFile: path.join(stack.workDir, 'pki', 'serving', 'apiserver.crt'),
    prometheusUrl: stack.prometheusUrl,
    dcgmExporterUrl: stack.dcgmExporterUrl,
    workDir: stack.workDir,
    pids: stack.pids,
    simPidsFile: stack.simPidsFile,
    tokens: stack.tokens,
    workloadNamespaces: DEFAULT_WORKLOAD_NAMESPACES,
    startedAt: new Date().toISOString(),
    timings: stack.timings,
  };
}

export function readStackState(name = sandboxName()): StackState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(name), 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

export function writeStackState(state: StackState): void {
  fs.writeFileSync(
    stateFile(state.name),
    `${JSON.stringify(state, null, 2)}\n`,
  );
}

/** Each process of the stack with whether it still runs, in start order. */
export function processTable(
  state: StackState,
): Array<{ name: string; pid: number; alive: boolean }> {
  const order: Array<[keyof StackPids, string]> = [
    ['etcd', 'etcd'],
    ['kubeApiserver', 'kube-apiserver'],
    ['kubeControllerManager', 'kube-controller-manager'],
    ['kubeScheduler', 'kube-scheduler'],
    ['kwok', 'kwok'],
    ['kuberayOperator', 'kuberay-operator'],
    ['prometheus', 'prometheus'],
    ['agent', 'stand-ins (agent)'],
  ];
  return order.map(([key, name]) => ({
    name,
    pid: state.pids[key],
    alive: isPidAlive(state.pids[key]),
  }));
}

export const SANDBOX_CLUSTER_NAME = 'mlops-sandbox';

/**
 * The app-config.local.yaml that points Backstage at the sandbox: the Kubernetes plugin's
 * cluster (read-only ServiceAccount token) and `mlops.clusters` (the reconciler's identity,
 * the workload namespaces, the sandbox Prometheus). Holds tokens: never commit it.
 */
export function appConfigYaml(
  state: StackState,
  owners = ['group:default/ml-platform-team'],
): string {
  const caData = fs.readFileSync(state.caFile).toString('base64');
  const doc = {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: SANDBOX_CLUSTER_NAME,
              url: state.server,
              authProvider: 'serviceAccount',
              serviceAccountToken: fs
                .readFileSync(state.tokens.viewer, 'utf8')
                .trim(),
              caData,
              skipTLSVerify: false,
              skipMetricsLookup: true,
            },
          ],
        },
      ],
    },
    mlops: {
      clusters: [
        {
          name: SANDBOX_CLUSTER_NAME,
          url: state.server,
          caData,
          auth: { serviceAccountTokenFile: state.tokens.reconciler },
          namespaces: state.workloadNamespaces.map(name => ({
            name,
            owners: [...owners],
            // The repositories that may deploy here: the examples and what the Create page
            // publishes locally (mlops:publish:local's default root).
            sources: [
              `${path.join(REPO_ROOT, 'examples')}/*`,
              `${path.join(os.tmpdir(), 'backstage-mlops-repos')}/*`,
            ],
          })),
          prometheus: { url: state.prometheusUrl },
        },
      ],
    },
  };
  return `# Written by \`mlops-sandbox app-config\` for the sandbox started at ${
    state.startedAt
  }.\n# Local only (git-ignored): it holds tokens of the local sandbox.\n${stringify(
    doc,
  )}`;
}
