import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ALLOWED_KINDS } from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  allowWorkloadNamespace,
  rawRequest,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import type { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createInMemoryReconcileStore } from '../__testUtils__/inMemoryReconcileStore';
import { OWNER } from '../__testUtils__/owner';
import {
  reconcilerClusterConfig,
  testNamespaceRule,
} from '../__testUtils__/reconcilerClusterConfig';
import { writeReconcilerToken } from '../__testUtils__/reconcilerToken';
import type { ClusterConfig, MlopsConfig } from '../config';
import { ClusterClient } from '../services/Kubernetes/ClusterClient';
import { compileSourcePattern } from '../services/Policy/sourcePatterns';
import { createReconciler } from '../services/Reconciler/createReconciler';
import { entityLabelValue } from '../services/Reconciler/ownership';
import { entityStatus } from '../services/StatusCache/entityStatus';
import { configMap } from './hostileRepoCases';
import {
  DENIED_ACCOUNT,
  trustCases,
  UNOWNED,
  VICTIM,
  type TrustDirs,
} from './trustBoundaryCases';

/** Its own namespace: the hostile suite asserts nothing changes in its own while it runs. */
const NS = 'it-trust';
const at = (p: string) => p.replace('it-hostile', NS);

describe('reconciler at the trust boundary (real kube-apiserver)', () => {
  const controlPlane = useControlPlane();
  let work: string;
  let repo: string;
  let knex: Knex;
  let cluster: ClusterConfig;
  let config: MlopsConfig;
  let reconciler: ReturnType<typeof createReconciler>;

  const get = (p: string) =>
    rawRequest(controlPlane().adminKubeConfig, 'GET', at(p));

  const entity = (
    name: string,
    options: {
      manifests?: string;
      location?: string;
      annotations?: Record<string, string>;
    } = {},
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        ...options.annotations,
        'backstage.io/managed-by-location':
          options.location ??
          `file:${path.join(repo, name, 'catalog-info.yaml')}`,
        'mlops/manifests': options.manifests ?? './deploy',
        'mlops/namespace': NS,
        'mlops/workload': 'serving',
      },
    },
    spec: { type: 'model-server', owner: OWNER, lifecycle: 'experimental' },
  });

  const writeRepo = (name: string, files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      const full = path.join(repo, name, 'deploy', file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
    }
  };

  /** Every object in the namespace that carries the entity's label, of every allowed kind. */
  async function objectsOf(entityRef: string): Promise<string[]> {
    const found: string[] = [];
    const selector = encodeURIComponent(
      `mlops/entity=${entityLabelValue(entityRef)}`,
    );
    for (const kind of ALLOWED_KINDS) {
      const base = kind.group
        ? `/apis/${kind.group}/${kind.version}`
        : `/api/${kind.version}`;
      const res = await rawRequest(
        controlPlane().adminKubeConfig,
        'GET',
        `${base}/namespaces/${NS}/${kind.plural}?labelSelector=${selector}`,
      );
      expect(res.status).toBe(200);
      for (const item of res.body.items) {
        found.push(`${kind.kind}/${item.metadata.name}`);
      }
    }
    return found;
  }

  /** The exact stored bytes of each victim object, resourceVersion and managedFields included. */
  const snapshotVictims = async () =>
    Promise.all(
      [...VICTIM.paths, ...UNOWNED.paths].map(async p => {
        const res = await get(p);
        expect(res.status).toBe(200);
        return JSON.stringify(res.body);
      }),
    );

  beforeAll(async () => {
    const cp = controlPlane();
    await allowWorkloadNamespace(cp.adminKubeConfig, NS);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-trust-'));
    repo = path.join(work, 'repo');
    fs.mkdirSync(path.join(work, 'foreign-root'), { recursive: true });
    const base = reconcilerClusterConfig(cp, {
      name: 'sandbox',
      tokenFile: writeReconcilerToken(cp, work),
      namespaces: [],
    });
    cluster = {
      ...base,
      namespaces: [
        testNamespaceRule(NS, {
          sources: [compileSourcePattern(`${repo}/*`)],
          deniedServiceAccounts: ['backstage-mlops', DENIED_ACCOUNT],
        }),
      ],
    };
    config = {
      clusters: [cluster],
      manifests: {
        allowedFileRoots: [repo, path.join(work, 'foreign-root')],
      },
      reconcile: { interval: { minutes: 1 }, maxPruneShare: 0.5 },
    };
    const { knex: db, store } = await createInMemoryReconcileStore();
    knex = db;
    reconciler = createReconciler({
      config,
      clients: new Map([['sandbox', new ClusterClient(cluster)]]),
      store,
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
    });

    writeRepo(VICTIM.name, VICTIM.files);
    const victim = await reconciler.reconcile(entity(VICTIM.name));
    if (victim.result !== 'synced') {
      throw new Error(`the victim did not sync: ${victim.message}`);
    }
    for (const text of [UNOWNED.handmade, UNOWNED.operatorMade]) {
      const res = await rawRequest(
        cp.adminKubeConfig,
        'POST',
        `/api/v1/namespaces/${NS}/configmaps?fieldManager=kubectl-client-side-apply`,
        parse(text),
      );
      if (res.status !== 201) {
        throw new Error(`creating an unowned ConfigMap answered ${res.status}`);
      }
    }
  });

  afterAll(async () => {
    await knex?.destroy();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses every case whole with its reason, applies nothing of it and leaves the victims byte-for-byte unchanged', async () => {
    const before = await snapshotVictims();
    const outcomes: string[] = [];
    for (const [index, trust] of trustCases.entries()) {
      const name = `trust-${index}`;
      const entityDir = path.join(repo, name);
      const dirs: TrustDirs = {
        outside: path.join(work, `outside-${index}`),
        foreign: path.join(work, 'foreign-root', name),
      };
      for (const dir of [entityDir, dirs.outside, dirs.foreign]) {
        fs.mkdirSync(dir, { recursive: true });
      }
      trust.setup(entityDir, dirs);
      if (!trust.noValidObject) {
        writeRepo(name, { 'ok.yaml': configMap(`${name}-ok`) });
      }
      const status = await reconciler.reconcile(
        entity(name, {
          manifests: trust.manifests,
          location: trust.location?.(dirs),
          annotations: trust.annotations?.(dirs),
        }),
      );
      outcomes.push(`${trust.name}: ${status.result}`);
      expect({ case: trust.name, result: status.result }).toEqual({
        case: trust.name,
        result: 'refused',
      });
      expect({ case: trust.name, message: status.message }).toEqual({
        case: trust.name,
        message: expect.stringMatching(trust.reason),
      });
      expect(status.objects).toEqual([]);
      // The record, and the status body built from it as the route serves it.
      const body = entityStatus(status.entityRef, status, [], true, Date.now());
      expect(body.reconcile?.message).toMatch(trust.reason);
      const secret = trust.secret ?? '\u0000no secret in this case';
      expect(JSON.stringify(status)).not.toContain(secret);
      expect(JSON.stringify(body)).not.toContain(secret);
      expect({
        case: trust.name,
        reached: await objectsOf(`component:default/${name}`),
      }).toEqual({ case: trust.name, reached: [] });
      for (const p of [
        `/api/v1/namespaces/${NS}/configmaps/${name}-ok`,
        ...(trust.absent ?? []),
      ]) {
        expect({ case: trust.name, p, status: (await get(p)).status }).toEqual({
          case: trust.name,
          p,
          status: 404,
        });
      }
    }
    expect(await snapshotVictims()).toEqual(before);
    // eslint-disable-next-line no-console
    console.info(`trust-boundary cases:\n${outcomes.join('\n')}`);

    // The owner still syncs, and sees who else declares its objects.
    const victim = await reconciler.reconcile(entity(VICTIM.name));
    expect(victim.result).toBe('synced');
    const victimConfig = victim.objects.find(o => o.name === 'victim-config');
    const takeover = trustCases.findIndex(c =>
      c.name.startsWith("another entity's ConfigMap"),
    );
    expect(victimConfig?.contestedBy).toEqual([
      `component:default/trust-${takeover}`,
    ]);
    expect(victimConfig?.message).toMatch(
      /also declared by .*which is refused/,
    );
  });

  it('reads manifests from the recorded location, never from backstage.io/source-location', async () => {
    const host = path.join(work, 'host-dir');
    fs.mkdirSync(host, { recursive: true });
    fs.writeFileSync(path.join(host, 'stolen.yaml'), configMap('host-file'));
    writeRepo('honest', { 'cm.yaml': configMap('honest-own') });
    const status = await reconciler.reconcile(
      entity('honest', {
        annotations: { 'backstage.io/source-location': `file:${host}/` },
      }),
    );
    expect(status.result).toBe('synced');
    expect(await objectsOf('component:default/honest')).toEqual([
      'ConfigMap/honest-own',
    ]);
    expect(
      (await get(`/api/v1/namespaces/${NS}/configmaps/host-file`)).status,
    ).toBe(404);
  });

  it('creates an object two new entities declare for neither, and tells both', async () => {
    for (const name of ['twin-a', 'twin-b']) {
      writeRepo(name, { 'cm.yaml': configMap('twin') });
    }
    const a = await reconciler.reconcile(entity('twin-a'));
    const b = await reconciler.reconcile(entity('twin-b'));
    // The first had declared it alone and created it; the second is refused, and the first
    // then shows the contest on its next pass.
    expect(a.result).toBe('synced');
    expect(b.result).toBe('refused');
    expect(b.message).toMatch(
      /ConfigMap "twin" belongs to entity "component:default\/twin-a"/,
    );
    const again = await reconciler.reconcile(entity('twin-a'));
    expect(again.objects[0]).toMatchObject({
      name: 'twin',
      contestedBy: ['component:default/twin-b'],
    });

    // Two entities that start at once: whichever declares second sees the first's claim.
    for (const name of ['pair-a', 'pair-b']) {
      writeRepo(name, { 'cm.yaml': configMap('pair') });
    }
    const [pa, pb] = await Promise.all([
      reconciler.reconcile(entity('pair-a')),
      reconciler.reconcile(entity('pair-b')),
    ]);
    const results = [pa.result, pb.result].sort();
    expect(results).not.toEqual(['synced', 'synced']);
    const live = await get(`/api/v1/namespaces/${NS}/configmaps/pair`);
    const owner: string | undefined =
      live.body?.metadata?.annotations?.['mlops/entity-ref'];
    // If it was created, the one that created it is the only one that says synced.
    expect(
      [pa, pb].filter(s => s.result === 'synced').map(s => s.entityRef),
    ).toEqual(owner ? [owner] : []);
  });

  it('adopts an unowned object only where the namespace allows it', async () => {
    const res = await rawRequest(
      controlPlane().adminKubeConfig,
      'POST',
      `/api/v1/namespaces/${NS}/configmaps`,
      parse(configMap('legacy')),
    );
    expect(res.status).toBe(201);
    writeRepo('adopter', { 'cm.yaml': configMap('legacy') });
    const refused = await reconciler.reconcile(entity('adopter'));
    expect(refused.result).toBe('refused');

    const adopting = createReconciler({
      config: {
        ...config,
        clusters: [
          {
            ...cluster,
            namespaces: cluster.namespaces.map(n => ({
              ...n,
              adoptUnowned: true,
            })),
          },
        ],
      },
      clients: new Map([['sandbox', new ClusterClient(cluster)]]),
      store: (await createInMemoryReconcileStore()).store,
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
    });
    const adopted = await adopting.reconcile(entity('adopter'));
    expect(adopted.result).toBe('synced');
    const live = await get(`/api/v1/namespaces/${NS}/configmaps/legacy`);
    expect(live.body.metadata.annotations['mlops/entity-ref']).toBe(
      'component:default/adopter',
    );
    // Still never another entity's.
    writeRepo('greedy', { 'cm.yaml': configMap('victim-config') });
    const greedy = await adopting.reconcile(entity('greedy'));
    expect(greedy.result).toBe('refused');
    expect(greedy.message).toMatch(
      /belongs to entity "component:default\/victim"/,
    );
  });
});
