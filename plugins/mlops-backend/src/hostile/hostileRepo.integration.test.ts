import { mockServices } from '@backstage/backend-test-utils';
import {
  allowWorkloadNamespace,
  rawRequest,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import type { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInMemoryReconcileStore } from '../__testUtils__/inMemoryReconcileStore';
import { reconcilerClusterConfig } from '../__testUtils__/reconcilerClusterConfig';
import { writeReconcilerToken } from '../__testUtils__/reconcilerToken';
import { workloadEntity } from '../__testUtils__/workloadEntity';
import type { MlopsConfig } from '../config';
import { ClusterClient } from '../services/Kubernetes/ClusterClient';
import { createReconciler } from '../services/Reconciler/createReconciler';
import { configMap, HOSTILE_NS, hostileCases } from './hostileRepoCases';
import { testMlopsConfig } from '../__testUtils__/testMlopsConfig';

/** Namespaced collections whose names must not change while hostile repos are reconciled. */
const WATCHED = [
  '/api/v1/namespaces/it-hostile/configmaps',
  '/api/v1/namespaces/it-hostile/secrets',
  '/api/v1/namespaces/it-hostile/services',
  '/api/v1/namespaces/it-hostile/serviceaccounts',
  '/apis/apps/v1/namespaces/it-hostile/deployments',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/it-hostile/roles',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/it-hostile/rolebindings',
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces',
  '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
];

describe('reconciler against hostile repository contents', () => {
  const controlPlane = useControlPlane();
  let work: string;
  let knex: Knex;
  let reconcile: ReturnType<typeof createReconciler>['reconcile'];

  const entity = (name: string, manifests = './deploy') =>
    workloadEntity(path.join(work, 'repo'), name, {
      'mlops/manifests': manifests,
      'mlops/namespace': HOSTILE_NS,
      'mlops/workload': 'serving',
    });

  async function snapshot(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const url of WATCHED) {
      const res = await rawRequest(controlPlane().adminKubeConfig, 'GET', url);
      expect(res.status).toBe(200);
      // Outside our namespace, other test files may create objects at the same time.
      out[url] = res.body.items
        .map((i: any) => i.metadata.name as string)
        .filter(
          (n: string) =>
            url.includes(HOSTILE_NS) || /hostile|elsewhere/.test(n),
        )
        .sort();
    }
    return out;
  }

  beforeAll(async () => {
    const cp = controlPlane();
    await allowWorkloadNamespace(cp.adminKubeConfig, HOSTILE_NS);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hostile-'));
    const config: MlopsConfig = testMlopsConfig([
      reconcilerClusterConfig(cp, {
        name: 'sandbox',
        tokenFile: writeReconcilerToken(cp, work),
        namespaces: [HOSTILE_NS],
      }),
    ]);
    const { knex: db, store } = await createInMemoryReconcileStore();
    knex = db;
    ({ reconcile } = createReconciler({
      config,
      clients: new Map([['sandbox', new ClusterClient(config.clusters[0])]]),
      store,
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
    }));
  });

  afterAll(async () => {
    await knex?.destroy();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses every hostile case whole, quickly, applying nothing; then still syncs a good entity', async () => {
    const before = await snapshot();
    const outcomes: string[] = [];
    for (const [index, hostile] of hostileCases.entries()) {
      const name = `hostile-${index}`;
      const entityDir = path.join(work, 'repo', name);
      const outside = path.join(work, `outside-${index}`);
      fs.mkdirSync(entityDir, { recursive: true });
      fs.mkdirSync(outside, { recursive: true });
      hostile.setup(entityDir, outside);
      const manifests = hostile.manifests ?? './deploy';
      const okDir = path.join(entityDir, manifests);
      fs.mkdirSync(okDir, { recursive: true });
      fs.writeFileSync(path.join(okDir, 'ok.yaml'), configMap(`${name}-ok`));

      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const status = await reconcile(entity(name, manifests));
      const elapsed = performance.now() - started;
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      outcomes.push(
        `${hostile.name}: ${status.result} in ${Math.round(elapsed)} ms`,
      );

      expect({ case: hostile.name, result: status.result }).toEqual({
        case: hostile.name,
        result: 'refused',
      });
      expect({ case: hostile.name, message: status.message }).toEqual({
        case: hostile.name,
        message: expect.stringMatching(hostile.reason),
      });
      expect(status.objects).toEqual([]);
      // Bounded: no case, the alias bomb included, takes seconds or hundreds of MB.
      expect(elapsed).toBeLessThan(2000);
      expect(heapGrowth).toBeLessThan(256 * 1024 * 1024);
      for (const url of [
        `/api/v1/namespaces/${HOSTILE_NS}/configmaps/${name}-ok`,
        ...(hostile.absent ?? []),
      ]) {
        const res = await rawRequest(
          controlPlane().adminKubeConfig,
          'GET',
          url,
        );
        expect({ case: hostile.name, url, status: res.status }).toEqual({
          case: hostile.name,
          url,
          status: 404,
        });
      }
    }
    // The whole run created, changed the set of, or deleted nothing anywhere we look.
    expect(await snapshot()).toEqual(before);
    // eslint-disable-next-line no-console
    console.info(`hostile cases:\n${outcomes.join('\n')}`);

    // The process and the reconciler are still fine: a good entity syncs.
    const good = path.join(work, 'repo', 'good', 'deploy');
    fs.mkdirSync(good, { recursive: true });
    fs.writeFileSync(path.join(good, 'ok.yaml'), configMap('good-ok'));
    const status = await reconcile(entity('good'));
    expect(status.result).toBe('synced');
    const applied = await rawRequest(
      controlPlane().adminKubeConfig,
      'GET',
      `/api/v1/namespaces/${HOSTILE_NS}/configmaps/good-ok`,
    );
    expect(applied.status).toBe(200);
  });
});
