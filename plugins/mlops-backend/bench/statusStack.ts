/**
 * What the status benchmarks run against: a real control plane holding N workloads × 5 objects
 * (applied in bulk with exactly the objects the reconciler would apply), a catalog file with
 * their N entities, optionally a real Prometheus, and the real backend process configured for
 * both our plugin and the stock Kubernetes plugin on that cluster.
 */
import {
  allowWorkloadNamespace,
  startControlPlane,
  type ControlPlane,
} from '@mlops-plugins/sandbox';
import {
  MLOPS_FIELD_MANAGER,
  parseManifestFile,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ClusterClient } from '../src/services/Kubernetes/ClusterClient';
import { desiredState } from '../src/services/Reconciler/desiredState';
import { runWithConcurrency } from '../src/services/Reconciler/runWithConcurrency';
import { startBackendProcess, type BackendProcess } from './backendProcess';
import { startPrometheus } from '../src/services/Metrics/__testUtils__/startPrometheus';
import {
  manifests,
  NAMESPACES,
  OWNER,
  workloadNamespace,
  writeRepo,
} from './workloads';

export const CLUSTER = 'bench';
const entityRef = (i: number) => `component:default/w${i}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function catalogEntity(i: number) {
  const namespace = workloadNamespace(i, 'bench');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `w${i}`,
      annotations: {
        'mlops/manifests': `./w${i}/deploy`,
        'mlops/namespace': namespace,
        'mlops/workload': 'serving',
        'backstage.io/kubernetes-id': `w${i}`,
        'backstage.io/kubernetes-namespace': namespace,
      },
    },
    spec: { type: 'service', owner: OWNER, lifecycle: 'experimental' },
  };
}

/** Applies entity i's objects as the reconciler would (same labels, field manager). */
async function applyWorkload(admin: ClusterClient, i: number) {
  const namespace = workloadNamespace(i, 'bench');
  const located = Object.entries(manifests(i, 1)).flatMap(
    ([file, text]) => parseManifestFile(file, text).manifests,
  );
  const desired = desiredState(located, {
    entityRef: entityRef(i),
    namespace,
    kubernetesId: `w${i}`,
  });
  for (const item of desired) {
    await admin.apply(item.key, item.object, {
      fieldManager: MLOPS_FIELD_MANAGER,
      asUser: '',
    });
  }
}

function backendConfig(
  plane: ControlPlane,
  options: { catalogFile: string; tokenFile: string; prometheusUrl?: string },
) {
  const cluster = plane.adminKubeConfig.getCurrentCluster()!;
  const caData = fs.readFileSync(cluster.caFile!).toString('base64');
  return stringify({
    catalog: {
      locations: [{ type: 'file', target: options.catalogFile }],
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: CLUSTER,
              url: plane.server,
              authProvider: 'serviceAccount',
              serviceAccountToken:
                plane.adminKubeConfig.getCurrentUser()!.token,
              caData,
              skipMetricsLookup: true,
            },
          ],
        },
      ],
    },
    mlops: {
      clusters: [
        {
          name: CLUSTER,
          url: plane.server,
          caData,
          auth: { serviceAccountTokenFile: options.tokenFile },
          namespaces: Array.from({ length: NAMESPACES }, (_, n) => ({
            name: `bench-${n}`,
            owners: [OWNER],
            sources: [`${path.dirname(options.catalogFile)}/*`],
          })),
          ...(options.prometheusUrl
            ? { prometheus: { url: options.prometheusUrl } }
            : {}),
        },
      ],
      // One pass at start-up only: a periodic pass would add its load to the measurement.
      reconcile: { interval: { hours: 6 } },
    },
  });
}

export interface StatusStack {
  plane: ControlPlane;
  backend: BackendProcess;
  token: string;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

export async function startStatusStack(options: {
  entities: number;
  prometheus: boolean;
  log: (line: string) => void;
  /** Receives the stop function before start-up, so a signal mid-start-up can stop what ran. */
  onStop?: (stop: () => Promise<void>) => void;
}): Promise<StatusStack> {
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const mark = (what: string) => {
    timings[what] = (Date.now() - t0) / 1000;
    options.log(`${what} at ${timings[what].toFixed(1)} s`);
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-status-bench-'));
  const stops: Array<() => Promise<void>> = [
    async () => fs.rmSync(dir, { recursive: true, force: true }),
  ];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
  };
  options.onStop?.(stop);
  try {
    const plane = await startControlPlane();
    stops.push(() => plane.stop());
    for (let n = 0; n < NAMESPACES; n++) {
      await allowWorkloadNamespace(plane.adminKubeConfig, `bench-${n}`);
    }
    mark('control plane ready');

    const admin = new ClusterClient(
      { name: CLUSTER, auth: {} } as any,
      plane.adminKubeConfig,
    );
    const indexes = Array.from({ length: options.entities }, (_, i) => i);
    await runWithConcurrency(indexes, 16, i => applyWorkload(admin, i));
    mark(`${options.entities * 5} objects applied`);

    for (const i of indexes) writeRepo(dir, i, 1);
    const catalogFile = path.join(dir, 'catalog-info.yaml');
    fs.writeFileSync(
      catalogFile,
      indexes.map(i => stringify(catalogEntity(i))).join('---\n'),
    );
    const tokenFile = path.join(dir, 'reconciler-token');
    fs.writeFileSync(
      tokenFile,
      plane.reconcilerKubeConfig.getCurrentUser()!.token!,
    );
    let prometheusUrl: string | undefined;
    if (options.prometheus) {
      const prometheus = await startPrometheus({ dir, port: await freePort() });
      stops.push(prometheus.stop);
      prometheusUrl = prometheus.url;
    }
    const configFile = path.join(dir, 'app-config.bench.yaml');
    fs.writeFileSync(
      configFile,
      backendConfig(plane, { catalogFile, tokenFile, prometheusUrl }),
    );
    const backend = await startBackendProcess({
      port: await freePort(),
      configFiles: [configFile],
      logFile: path.join(dir, 'backend.log'),
    });
    stops.push(backend.stop);
    mark('backend ready');

    const refresh = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`);
    const token: string = (await refresh.json()).backstageIdentity.token;
    await waitForCatalog(backend.baseUrl, token, options.entities);
    mark(`catalog holds ${options.entities} entities`);
    options.log(await waitForStartupPass(backend.logFile));
    return { plane, backend, token, timings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Until every entity is in the catalog, bounded by 10 minutes. */
async function waitForCatalog(baseUrl: string, token: string, count: number) {
  const deadline = Date.now() + 600_000;
  const url = `${baseUrl}/api/catalog/entities/by-query?filter=spec.owner=${encodeURIComponent(
    OWNER,
  )}&limit=1`;
  for (;;) {
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const total = res.ok ? (await res.json()).totalItems : -1;
    if (total >= count) return;
    if (Date.now() > deadline) {
      throw new Error(`the catalog holds ${total} of ${count} entities`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** The backend reconciles once at start-up; measure after that pass, not during it. */
async function waitForStartupPass(logFile: string) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const line = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .find(l => l.includes('mlops reconcile pass over'));
    if (line) return line.replace(/^.*(mlops reconcile pass)/, '$1');
    if (Date.now() > deadline) throw new Error('no reconcile pass logged');
    await new Promise(r => setTimeout(r, 1000));
  }
}
