/* eslint-disable no-console */
/**
 * yarn bench:reconcile [entities=1000] [concurrency=16] [--no-kubectl]
 *
 * N entities × 5 objects against a real kube-apiserver (the sandbox's tier 1): first
 * convergence, a pass with no change, a pass with 1% changed; compared in the same run with
 * `kubectl apply --server-side` per entity (skipped with --no-kubectl, and from 5,000
 * entities) and with the raw server-side-apply rate a minimal concurrent client gets from the
 * same API server. Also prints the process heap and the watch cache's share of it.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  allowWorkloadNamespace,
  binaryPaths,
  startControlPlane,
} from '@mlops-plugins/sandbox';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import knexFactory from 'knex';
import {
  DEFAULT_PROMETHEUS_ENTITY_LABEL,
  type ClusterConfig,
} from '../src/config';
import { compileSourcePattern } from '../src/services/Policy/sourcePatterns';
import { ClusterClient } from '../src/services/Kubernetes/ClusterClient';
import { createReconciler } from '../src/services/Reconciler/createReconciler';
import { runWithConcurrency } from '../src/services/Reconciler/runWithConcurrency';
import { ClusterWatchCache } from '../src/services/StatusCache/ClusterWatchCache';
import { ReconcileStore } from '../src/services/Store/ReconcileStore';
import { parse as parseYaml } from 'yaml';
import {
  manifests,
  NAMESPACES,
  OWNER,
  silentLogger,
  workloadNamespace,
  writeRepo,
} from './workloads';

const run = promisify(execFile);
const args = process.argv.slice(2).filter(a => !a.startsWith('--'));
const N = Number(args[0] ?? 1000);
// As many entities at once as the raw client below has requests in flight.
const CONCURRENCY = Number(args[1] ?? 16);
const WITH_KUBECTL = !process.argv.includes('--no-kubectl') && N < 5000;

/** Heap in use after a full collection (`--expose-gc`), else as it stands. */
function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
const silent = silentLogger;
const ns = workloadNamespace;

function entity(root: string, i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `w${i}`,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(
          root,
          `w${i}`,
          'catalog-info.yaml',
        )}`,
        'mlops/manifests': './deploy',
        'mlops/namespace': ns(i, 'bench'),
      },
    },
    spec: { type: 'model-server', owner: OWNER, lifecycle: 'experimental' },
  };
}

/** Counts requests by method, to show what a pass writes. */
class CountingClient extends ClusterClient {
  counts = { GET: 0, PATCH: 0, DELETE: 0 } as Record<string, number>;
  async request(method: string, p: string, options?: any) {
    this.counts[method] = (this.counts[method] ?? 0) + 1;
    return super.request(method, p, options);
  }
  reset() {
    this.counts = { GET: 0, PATCH: 0, DELETE: 0 };
  }
}

async function timed<T>(fn: () => Promise<T>) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = await fn();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function main() {
  console.log(
    `bench:reconcile — ${N} entities × 5 objects, concurrency ${CONCURRENCY}, ${
      os.cpus().length
    } CPUs`,
  );
  const plane = await startControlPlane();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-'));
  const rows: Array<[string, string, string, string, string]> = [];
  try {
    for (let n = 0; n < NAMESPACES; n++) {
      await allowWorkloadNamespace(plane.adminKubeConfig, `bench-${n}`);
      await allowWorkloadNamespace(plane.adminKubeConfig, `kubectl-${n}`);
      await allowWorkloadNamespace(plane.adminKubeConfig, `raw-${n}`);
      await allowWorkloadNamespace(plane.adminKubeConfig, `checked-${n}`);
    }
    for (let i = 0; i < N; i++) writeRepo(root, i, 1);
    const tokenFile = path.join(root, 'token');
    fs.writeFileSync(
      tokenFile,
      plane.reconcilerKubeConfig.getCurrentUser()!.token!,
    );
    const kcCluster = plane.adminKubeConfig.getCurrentCluster()!;
    const cluster: ClusterConfig = {
      name: 'bench',
      url: kcCluster.server,
      caFile: kcCluster.caFile,
      skipTLSVerify: false,
      auth: { serviceAccountTokenFile: tokenFile },
      namespaces: Array.from({ length: NAMESPACES }, (_, n) => ({
        name: `bench-${n}`,
        owners: [OWNER],
        serviceAccount: 'backstage-mlops',
        sources: [compileSourcePattern(`${root}/*`)],
        allowedServiceTypes: [],
        deniedServiceAccounts: ['backstage-mlops'],
        adoptUnowned: false,
      })),
      prometheusEntityLabel: DEFAULT_PROMETHEUS_ENTITY_LABEL,
      forceConflicts: false,
    };
    const client = new CountingClient(cluster);
    const cache = new ClusterWatchCache(new ClusterClient(cluster), silent);
    const heapBefore = heapMb();
    cache.start();
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const store = await ReconcileStore.create({
      getClient: async () => db,
    } as any);
    const reconciler = createReconciler({
      config: {
        clusters: [cluster],
        manifests: { allowedFileRoots: [root] },
        reconcile: { interval: { minutes: 1 }, maxPruneShare: 0.5 },
      },
      clients: new Map([['bench', client]]),
      lookup: (_c, key) => cache.lookup(key),
      ownedObjects: (_c, ref) => cache.ownedObjects(ref),
      store,
      reader: {} as any,
      logger: silent,
    });
    const entities = Array.from({ length: N }, (_, i) => entity(root, i));
    const pass = async (label: string) => {
      client.reset();
      // As the scheduled pass does it: records read once, each entity, batched saves.
      const t = await timed(async () => {
        const snapshot = await reconciler.passSnapshot();
        const statuses = await runWithConcurrency(entities, CONCURRENCY, e =>
          reconciler.reconcile(e, { pass: snapshot }),
        );
        await reconciler.finishPass(snapshot);
        return statuses;
      });
      const results = t.value.reduce<Record<string, number>>(
        (acc, s) => ({ ...acc, [s.result]: (acc[s.result] ?? 0) + 1 }),
        {},
      );
      const writes = client.counts.PATCH + client.counts.DELETE;
      const reasons = new Map<string, number>();
      for (const s of t.value.filter(v => v.result !== 'synced')) {
        const reason = (s.message ?? '').slice(0, 160);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      for (const [reason, count] of reasons)
        console.log(`  ${count} × ${reason}`);
      console.log(
        `${label}: ${(t.wallMs / 1000).toFixed(1)} s wall, ${(
          t.cpuMs / 1000
        ).toFixed(2)} s CPU, writes ${writes}, reads ${
          client.counts.GET
        }, results ${JSON.stringify(results)}`,
      );
      return { ...t, writes, reads: client.counts.GET };
    };
    const waitForCache = async (expected: number) => {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const count = entities.reduce(
          (sum, e) =>
            sum +
            (cache.lookup({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              namespace: e.metadata.annotations!['mlops/namespace'],
              name: `${e.metadata.name}-config`,
            })
              ? 1
              : 0),
          0,
        );
        if (count >= expected) return;
        await new Promise(r => setTimeout(r, 200));
      }
    };

    const first = await pass('reconciler: first convergence');
    await waitForCache(N);
    const heapConverged = heapMb();
    // One settling pass: objects applied before the cache listed them are compared once.
    await pass('reconciler: settling pass');
    const noChange = await pass('reconciler: no-change pass');
    const changedCount = Math.max(1, Math.floor(N / 100));
    for (let i = 0; i < changedCount; i++) writeRepo(root, i * 100, 2);
    const changed = await pass(
      `reconciler: ${changedCount} entities changed (1%)`,
    );

    // (a) The CI-pipeline way: kubectl apply --server-side per entity directory.
    const kubectlBin = binaryPaths().kubectl;
    const skipped = { wallMs: NaN, cpuMs: NaN, value: [] };
    const kubectlPass = async (label: string) => {
      if (!WITH_KUBECTL) return skipped;
      const t = await timed(() =>
        runWithConcurrency(
          entities.map((_, i) => i),
          CONCURRENCY,
          i =>
            run(kubectlBin, [
              '--kubeconfig',
              plane.kubeconfigPath,
              'apply',
              '--server-side',
              '--field-manager=ci',
              '-n',
              ns(i, 'kubectl'),
              '-f',
              path.join(root, `w${i}`, 'deploy'),
            ]),
        ),
      );
      console.log(`${label}: ${(t.wallMs / 1000).toFixed(1)} s wall`);
      return t;
    };
    const kFirst = await kubectlPass('kubectl apply --server-side: first');
    const kAgain = await kubectlPass('kubectl apply --server-side: no change');

    // (b) The raw limit: a minimal client doing nothing but SSA PATCHes, 10 s, 16 in flight.
    const admin = new ClusterClient(
      { ...cluster, auth: { kubeconfigContext: undefined } } as any,
      plane.adminKubeConfig,
    );
    let done = 0;
    const deadline = Date.now() + 10_000;
    const rawStart = Date.now();
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        let k = 0;
        while (Date.now() < deadline) {
          const name = `raw-${w}-${k++ % 50}`;
          await admin.apply(
            { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bench-0', name },
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name, namespace: 'bench-0' },
              data: { k: String(k) },
            },
            { fieldManager: 'raw', asUser: '' as any },
          );
          done++;
        }
      }),
    );
    const rawRate = done / ((Date.now() - rawStart) / 1000);

    // (c) The raw limit for this workload: the same N × 5 objects (Deployments, Services,
    // ScaledObjects, ConfigMaps) created by server-side apply, 16 in flight, nothing else;
    // once as cluster admin, once as the reconciler is: its ServiceAccount token, a GET of
    // each object first (the ownership check) and the write impersonating the namespace's
    // ServiceAccount.
    const sameObjects = (prefix: string) =>
      entities.flatMap((_, i) =>
        Object.values(manifests(i, 1)).map(text => {
          const object = parseYaml(text);
          object.metadata.namespace = ns(i, prefix);
          return object;
        }),
      );
    const rawCreate = async (
      objects: any[],
      by: ClusterClient,
      asReconciler: boolean,
    ) => {
      let next = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < objects.length) {
            const object = objects[next++];
            const key = {
              apiVersion: object.apiVersion,
              kind: object.kind,
              namespace: object.metadata.namespace,
              name: object.metadata.name,
            };
            if (asReconciler) await by.get(key);
            await by.apply(key, object, {
              fieldManager: 'raw',
              asUser: asReconciler
                ? `system:serviceaccount:${key.namespace}:backstage-mlops`
                : ('' as any),
            });
          }
        }),
      );
      return objects.length / ((Date.now() - started) / 1000);
    };
    const sameRate = await rawCreate(sameObjects('raw'), admin, false);
    const checkedRate = await rawCreate(sameObjects('checked'), client, true);
    const objects = N * 5;
    const perSec = (ms: number) => objects / (ms / 1000);
    const orDash = (ms: number, text: string) =>
      Number.isNaN(ms) ? '— (not run)' : text;

    rows.push([
      'first convergence',
      `${(first.wallMs / 1000).toFixed(1)} s`,
      orDash(kFirst.wallMs, `${(kFirst.wallMs / 1000).toFixed(1)} s`),
      orDash(kFirst.wallMs, `${(kFirst.wallMs / first.wallMs).toFixed(2)}×`),
      `${perSec(first.wallMs).toFixed(0)} obj/s vs raw ${sameRate.toFixed(
        0,
      )} obj/s creating the same objects (${(
        (perSec(first.wallMs) / sameRate) *
        100
      ).toFixed(
        0,
      )}%); raw GET + apply with the reconciler's token and impersonation ${checkedRate.toFixed(
        0,
      )} obj/s (${((perSec(first.wallMs) / checkedRate) * 100).toFixed(
        0,
      )}%); raw ConfigMap updates ${rawRate.toFixed(0)} SSA/s (${(
        (perSec(first.wallMs) / rawRate) *
        100
      ).toFixed(0)}%)`,
    ]);
    rows.push([
      'no-change pass',
      `${(noChange.wallMs / 1000).toFixed(2)} s, ${noChange.writes} writes, ${
        noChange.reads
      } reads, ${(noChange.cpuMs / 1000).toFixed(2)} s CPU`,
      orDash(
        kAgain.wallMs,
        `${(kAgain.wallMs / 1000).toFixed(1)} s, ${objects} SSA requests`,
      ),
      orDash(kAgain.wallMs, `${(kAgain.wallMs / noChange.wallMs).toFixed(1)}×`),
      '',
    ]);
    rows.push([
      `1% changed (${changedCount})`,
      `${(changed.wallMs / 1000).toFixed(2)} s, ${changed.writes} writes`,
      '',
      '',
      '',
    ]);
    console.log(
      '\n| pass | reconciler | kubectl --server-side | kubectl / reconciler | vs raw SSA limit |',
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    // The cache holds every object of every entity; the reconciler's own memo holds the
    // checked desired state per entity. Both are in the converged heap.
    console.log(
      `\nheap: ${heapBefore.toFixed(
        0,
      )} MiB before the watch cache, ${heapConverged.toFixed(
        0,
      )} MiB converged with ${objects} objects cached (${(
        ((heapConverged - heapBefore) * 2 ** 20) /
        objects
      ).toFixed(0)} bytes per object, cache and desired state together)${
        (globalThis as { gc?: unknown }).gc
          ? ''
          : ' (no --expose-gc: not collected first)'
      }`,
    );
    await cache.stop();
    await db.destroy();
  } finally {
    await plane.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
