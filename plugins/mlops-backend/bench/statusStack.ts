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
import { startViewerTokens } from './viewerTokens';
import {
  manifests,
  NAMESPACES,
  OWNER,
  workloadNamespace,
  writeRepo,
} from './workloads';

export const CLUSTER = 'bench';
/** Our workload kinds as the repo's app-config.yaml lists them for the stock Kubernetes tab. */
export const STOCK_CUSTOM_RESOURCES = [
  { group: 'kubeflow.org', apiVersion: 'v1', plural: 'pytorchjobs' },
  { group: 'ray.io', apiVersion: 'v1', plural: 'rayjobs' },
  { group: 'ray.io', apiVersion: 'v1', plural: 'rayclusters' },
  { group: 'keda.sh', apiVersion: 'v1alpha1', plural: 'scaledobjects' },
];
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
  options: {
    catalogFile: string;
    tokenFile: string;
    prometheusUrl?: string;
    externalAccess: object;
  },
) {
  const cluster = plane.adminKubeConfig.getCurrentCluster()!;
  const caData = fs.readFileSync(cluster.caFile!).toString('base64');
  return stringify({
    backend: { auth: { externalAccess: [options.externalAccess] } },
    catalog: {
      locations: [{ type: 'file', target: options.catalogFile }],
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      // No `objectTypes`: the stock plugin's defaults (13 kinds). No skipMetricsLookup either,
      // as in a stock install (this control plane runs no pods, so no metrics request follows).
      customResources: STOCK_CUSTOM_RESOURCES,
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
  /** Per entity name, the stock tab's request body: the entity as the catalog serves it. */
  stockBodies: Map<string, string>;
  /** A token of a caller (a service principal) the backend has not served yet. */
  newViewerToken(): string;
  /** The processes whose CPU a request costs. */
  pids: { backend: number; kubeApiserver: number; etcd: number };
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
    const viewers = await startViewerTokens();
    stops.push(viewers.stop);
    fs.writeFileSync(
      configFile,
      backendConfig(plane, {
        catalogFile,
        tokenFile,
        prometheusUrl,
        externalAccess: viewers.externalAccess,
      }),
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
    const stockBodies = new Map<string, string>();
    for (const entity of await catalogEntities(backend.baseUrl, token)) {
      stockBodies.set(
        entity.metadata.name,
        JSON.stringify({ entity, auth: {} }),
      );
    }
    options.log(await waitForStartupPass(backend.logFile));
    // The start-up pass ran while the catalog was filling: record the rest, as a deployment
    // that has run for a while would hold a reconcile record for every workload.
    const synced = await syncUnrecorded(
      backend.baseUrl,
      token,
      options.entities,
    );
    mark(`${synced} entities without a record synced`);
    const pids = { backend: backend.pid, ...plane.pids };
    return {
      plane,
      backend,
      token,
      stockBodies,
      newViewerToken: viewers.next,
      pids,
      timings,
      stop,
    };
  } catch (error) {
    // The work dir goes with stop(); what the backend said is needed to tell why.
    const log = path.join(dir, 'backend.log');
    if (fs.existsSync(log)) {
      const kept = path.join(
        os.tmpdir(),
        `mlops-status-bench-${Date.now()}.log`,
      );
      fs.copyFileSync(log, kept);
      options.log(`backend log kept at ${kept}`);
    }
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

/** Every bench entity as the catalog serves it to an entity page, page by page. */
async function catalogEntities(baseUrl: string, token: string) {
  const items: any[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const query = cursor
      ? `cursor=${encodeURIComponent(cursor)}`
      : `filter=spec.owner=${encodeURIComponent(OWNER)}&limit=1000`;
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-query?${query}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!res.ok) throw new Error(`catalog by-query answered ${res.status}`);
    const body = await res.json();
    items.push(...body.items);
    cursor = body.pageInfo?.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('catalog by-query: more than 1000 pages');
}

/** Syncs every entity whose status has no reconcile record yet; returns how many. */
async function syncUnrecorded(baseUrl: string, token: string, count: number) {
  const headers = { Authorization: `Bearer ${token}` };
  const entity = (i: number) =>
    `${baseUrl}/api/mlops/v1/entities/component/default/w${i}`;
  let synced = 0;
  await runWithConcurrency(
    Array.from({ length: count }, (_, i) => i),
    8,
    async i => {
      const status = await fetch(`${entity(i)}/status`, { headers });
      if ((await status.json()).reconcile) return;
      const res = await fetch(`${entity(i)}/sync`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: '{}',
      });
      const body = await res.json();
      if (!res.ok || body.result !== 'synced') {
        throw new Error(
          `sync of w${i}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`,
        );
      }
      synced++;
    },
  );
  return synced;
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
