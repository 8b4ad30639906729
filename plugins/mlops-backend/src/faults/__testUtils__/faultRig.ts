import { mockServices } from '@backstage/backend-test-utils';
import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  allowWorkloadNamespace,
  rawRequest,
  type ControlPlaneConnection,
} from '@mlops-plugins/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitUntil } from '@mlops-plugins/test-support';
import { createInMemoryReconcileStore } from '../../__testUtils__/inMemoryReconcileStore';
import { reconcilerClusterConfig } from '../../__testUtils__/reconcilerClusterConfig';
import { writeReconcilerToken } from '../../__testUtils__/reconcilerToken';
import { workloadEntity } from '../../__testUtils__/workloadEntity';
import { ClusterClient } from '../../services/Kubernetes/ClusterClient';
import { createReconciler } from '../../services/Reconciler/createReconciler';
import { runWithConcurrency } from '../../services/Reconciler/runWithConcurrency';
import { ClusterWatchCache } from '../../services/StatusCache/ClusterWatchCache';
import { CountingClusterClient } from './CountingClusterClient';
import { writeWorkload } from './workloads';
import { testMlopsConfig } from '../../__testUtils__/testMlopsConfig';

export interface FaultRigOptions {
  namespace: string;
  /** What the plugin connects to, e.g. a proxy in front of the API server; default the API server. */
  url?: string;
  /** First watch restart delay of the cache. */
  restartDelayMs?: number;
}

/**
 * The reconciler, its store and a watch cache wired to one control plane as the plugin wires
 * them, with a client that counts applies. Entities are ConfigMap + Deployment workloads.
 */
export async function createFaultRig(
  plane: ControlPlaneConnection,
  options: FaultRigOptions,
) {
  const { namespace } = options;
  await allowWorkloadNamespace(plane.adminKubeConfig, namespace);
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-faults-'));
  const cluster = reconcilerClusterConfig(plane, {
    name: 'faulty',
    tokenFile: writeReconcilerToken(plane, repo),
    namespaces: [namespace],
    url: options.url,
  });
  const logger = mockServices.logger.mock();
  const cache = new ClusterWatchCache(new ClusterClient(cluster), logger, {
    restartDelayMs: options.restartDelayMs ?? 200,
  });
  cache.start();
  const { knex, store } = await createInMemoryReconcileStore();
  const client = new CountingClusterClient(cluster);
  const { reconcile } = createReconciler({
    config: testMlopsConfig([cluster]),
    clients: new Map([[cluster.name, client]]),
    lookup: (_c, key) => cache.lookup(key),
    ownedObjects: (_c, ref) => cache.ownedObjects(ref),
    store,
    reader: mockServices.urlReader.mock(),
    logger,
  });
  const entity = (name: string) =>
    workloadEntity(repo, name, { 'mlops/namespace': namespace });

  /** One reconcile pass over `names`, four at a time as the scheduled task does. */
  async function pass(
    names: string[],
  ): Promise<Map<string, MlopsReconcileStatus>> {
    const results = await runWithConcurrency(names, 4, n =>
      reconcile(entity(n)),
    );
    return new Map(names.map((n, i) => [n, results[i]]));
  }

  return {
    cluster,
    client,
    cache,
    store,
    logger,
    reconcile,
    entity,
    pass,
    write: (name: string, value: string) => writeWorkload(repo, name, value),
    /** Passes until every entity is synced; bounded by `maxPasses`. */
    async converge(names: string[], maxPasses = 10) {
      const started = Date.now();
      let last = new Map<string, MlopsReconcileStatus>();
      for (let passes = 1; passes <= maxPasses; passes++) {
        last = await pass(names);
        if ([...last.values()].every(r => r.result === 'synced')) {
          return { passes, ms: Date.now() - started, results: last };
        }
        await new Promise(r => setTimeout(r, 500));
      }
      const unsynced = [...last.values()]
        .filter(r => r.result !== 'synced')
        .map(r => `${r.entityRef}: ${r.result} ${r.message ?? ''}`);
      throw new Error(
        `not synced after ${maxPasses} passes: ${unsynced.join('; ')}`,
      );
    },
    /** The live object, read as admin straight from the API server. */
    async live(resource: 'configmaps' | 'deployments', name: string) {
      const group = resource === 'deployments' ? '/apis/apps/v1' : '/api/v1';
      const res = await rawRequest(
        plane.adminKubeConfig,
        'GET',
        `${group}/namespaces/${namespace}/${resource}/${name}`,
      );
      return res.status === 200 ? res.body : undefined;
    },
    cached: (kind: 'ConfigMap' | 'Deployment', name: string) =>
      cache.lookup({
        apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
        kind,
        namespace,
        name,
      }) as any,
    async stop() {
      await cache.stop();
      await knex.destroy();
      fs.rmSync(repo, { recursive: true, force: true });
    },
  };
}

export type FaultRig = Awaited<ReturnType<typeof createFaultRig>>;

const POLL = { timeoutMs: 60_000, everyMs: 100 };

/** A rig whose entities (one ConfigMap each, `names`) are applied at v1 and seen by its cache. */
export async function createConvergedRig(
  plane: ControlPlaneConnection,
  namespace: string,
  names: string[],
): Promise<FaultRig> {
  const rig = await createFaultRig(plane, { namespace });
  await waitUntil('watch cache ready', () => rig.cache.isReady(), POLL);
  names.forEach(n => rig.write(n, 'v1'));
  await rig.converge(names, 1);
  await waitUntil(
    'cache holds v1',
    () => names.every(n => rig.cached('ConfigMap', n)?.data?.value === 'v1'),
    POLL,
  );
  return rig;
}
