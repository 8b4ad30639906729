import { TestDatabases } from '@backstage/backend-test-utils';
import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import knexFactory, { type Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseIds } from './__testUtils__/testDatabaseIds';
import { ReconcileStore, type InventoryItem } from './ReconcileStore';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

const item = (name: string, hash = `h-${name}`): InventoryItem => ({
  key: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name },
  hash,
});

const status = (
  overrides: Partial<MlopsReconcileStatus> = {},
): MlopsReconcileStatus => ({
  entityRef: 'component:default/app',
  cluster: 'sandbox',
  namespace: 'ns',
  revision: 'r1',
  result: 'synced',
  objects: [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'ns',
      name: 'a',
      action: 'created',
    },
  ],
  driftCount: 0,
  lastAttemptAt: '2026-01-01T00:00:00.000Z',
  lastSuccessAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe.each(databases.eachSupportedId())('ReconcileStore on %s', id => {
  let knex: Knex;
  let store: ReconcileStore;

  beforeAll(async () => {
    knex = await databases.init(id);
    store = await ReconcileStore.create({ getClient: async () => knex });
  });

  it('migrates an empty database once when replicas start at the same moment', async () => {
    const empty = await databases.init(id);
    // Each replica has its own pool; in-memory SQLite exists only in one.
    const replicas = id.startsWith('POSTGRES')
      ? [
          empty,
          knexFactory(empty.client.config),
          knexFactory(empty.client.config),
        ]
      : [empty, empty, empty];
    try {
      await Promise.all(
        replicas.map(db =>
          ReconcileStore.create({ getClient: async () => db }),
        ),
      );
      const migrations = await empty('knex_migrations').select('name');
      expect(migrations.map(m => m.name)).toEqual([
        '20261126000000_reconcile_state.js',
        '20261207000000_object_claims.js',
        '20261208000000_inventory_object_identity.js',
      ]);
    } finally {
      await Promise.all(
        replicas
          .slice(1)
          .filter(db => db !== empty)
          .map(db => db.destroy()),
      );
    }
    // The losers back off (0.2 s, 0.4 s, … at most 1 s) for up to 60 s while the winner migrates.
  }, 90_000);

  it('migrates after two replicas each left a row in knex’s lock table', async () => {
    const db = await databases.init(id);
    // knex's bookkeeping tables, as a first replica creates them before any migration runs.
    const none = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-no-migrations-'));
    try {
      await db.migrate.latest({ directory: none });
    } finally {
      fs.rmSync(none, { recursive: true, force: true });
    }
    // The second replica's row from the same race: knex alone would report "already locked".
    await db('knex_migrations_lock').insert({ is_locked: 0 });
    const migrated = await ReconcileStore.create({ getClient: async () => db });
    await migrated.saveStatus(status());
    expect(await migrated.getStatus('component:default/app')).toEqual(status());
    const locks = await db('knex_migrations_lock').select('is_locked');
    expect(locks.map(l => Number(l.is_locked))).toEqual([0]);
  });

  it('migrates inventories to one row per object identity, merging rows of one object under two versions', async () => {
    const db = await databases.init(id);
    // The database as the release before the identity change left it.
    const earlier = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-migrations-'));
    const migrations = path.resolve(__dirname, '../../../migrations');
    try {
      for (const file of [
        '20261126000000_reconcile_state.js',
        '20261207000000_object_claims.js',
      ]) {
        fs.copyFileSync(path.join(migrations, file), path.join(earlier, file));
      }
      await db.migrate.latest({ directory: earlier });
    } finally {
      fs.rmSync(earlier, { recursive: true, force: true });
    }
    const row = (
      apiVersion: string,
      kind: string,
      name: string,
      hash: string,
    ) => ({
      entity_ref: 'component:default/app',
      cluster: 'sandbox',
      api_version: apiVersion,
      kind,
      namespace: 'ns',
      name,
      hash,
    });
    await db('mlops_inventory').insert([
      row('ray.io/v1alpha1', 'RayCluster', 'ray', 'h-old'),
      row('ray.io/v1', 'RayCluster', 'ray', 'h-new'),
      row('v1', 'ConfigMap', 'settings', 'h-cm'),
    ]);
    const migrated = await ReconcileStore.create({ getClient: async () => db });
    const inventory = await migrated.getInventory('component:default/app');
    expect(inventory).toEqual([
      {
        key: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'ns',
          name: 'settings',
        },
        hash: 'h-cm',
      },
      {
        key: {
          apiVersion: expect.stringMatching(/^ray\.io\/v1(alpha1)?$/),
          kind: 'RayCluster',
          namespace: 'ns',
          name: 'ray',
        },
        // Unknown: the next pass applies it once under the version its manifest names.
        hash: '',
      },
    ]);
    // One identity, one row: the same object under another version replaces it.
    await migrated.replaceInventory('component:default/app', 'sandbox', [
      {
        key: {
          apiVersion: 'ray.io/v1',
          kind: 'RayCluster',
          namespace: 'ns',
          name: 'ray',
        },
        hash: 'h',
      },
    ]);
    expect(await db('mlops_inventory').count({ n: '*' })).toEqual([
      { n: id.startsWith('POSTGRES') ? '1' : 1 },
    ]);
  });

  it('saves many records in batches, never over a later attempt saved meanwhile', async () => {
    const own = await ReconcileStore.create({
      getClient: async () => databases.init(id),
    });
    const later = status({
      entityRef: 'component:default/e007',
      result: 'failed',
      lastAttemptAt: '2026-01-01T00:05:00.000Z',
    });
    await own.saveStatus(later);
    const batch = Array.from({ length: 150 }, (_, i) =>
      status({
        entityRef: `component:default/e${String(i).padStart(3, '0')}`,
        lastAttemptAt: '2026-01-01T00:01:00.000Z',
      }),
    );
    await own.saveStatuses(batch);
    const all = await own.listStatuses();
    expect(all).toHaveLength(150);
    expect(all[7]).toEqual(later);
    expect(all[149]).toEqual(batch[149]);
    expect(all.filter(s => s.result === 'synced')).toHaveLength(149);
    // An older or equal attempt of an existing record is still overwritten by a newer one.
    const newer = { ...batch[0], lastAttemptAt: '2026-01-01T00:02:00.000Z' };
    await own.saveStatuses([newer]);
    expect(await own.getStatus(newer.entityRef)).toEqual(newer);
  });

  it('writes a reconcile record, then overwrites it, keeping absent fields absent', async () => {
    expect(await store.getStatus('component:default/none')).toBeUndefined();
    await store.saveStatus(status());
    expect(await store.getStatus('component:default/app')).toEqual(status());
    const failed = status({
      result: 'failed',
      message: 'apply of ConfigMap "a" failed: 503',
      revision: undefined,
      lastSuccessAt: undefined,
      driftCount: 2,
      lastAttemptAt: '2026-01-01T00:01:00.000Z',
    });
    await store.saveStatus(failed);
    expect(await store.getStatus('component:default/app')).toEqual(failed);
    const [{ n }] = await knex('mlops_entity_state').count({ n: '*' });
    expect(Number(n)).toBe(1);
  });

  it('lists every reconcile record mapped as getStatus maps it, or the first few by ref', async () => {
    const own = await ReconcileStore.create({
      getClient: async () => databases.init(id),
    });
    expect(await own.listStatuses()).toEqual([]);
    const b = status({ entityRef: 'component:default/b' });
    const a = status({
      entityRef: 'component:default/a',
      revision: undefined,
      message: undefined,
      lastSuccessAt: undefined,
      result: 'failed',
    });
    await own.saveStatus(b);
    await own.saveStatus(a);
    const all = await own.listStatuses();
    expect(all).toEqual([a, b]);
    expect(all[0]).toEqual(await own.getStatus('component:default/a'));
    expect(await own.listStatuses({ limit: 1 })).toEqual([a]);
  });

  it('lists every inventory by entity ref, each as getInventory maps it, in key order', async () => {
    const own = await ReconcileStore.create({
      getClient: async () => databases.init(id),
    });
    expect(await own.listInventories()).toEqual(new Map());
    const secret: InventoryItem = {
      key: { apiVersion: 'v1', kind: 'Secret', namespace: 'ns', name: 'a' },
      hash: 'h-secret',
    };
    await own.replaceInventory('component:default/b', 'sandbox', [item('x')]);
    await own.replaceInventory('component:default/a', 'sandbox', [
      secret,
      item('z', 'hz'),
      item('m'),
    ]);
    const all = await own.listInventories();
    expect([...all.keys()]).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
    expect(all.get('component:default/a')).toEqual([
      item('m'),
      item('z', 'hz'),
      secret,
    ]);
    expect(all.get('component:default/b')).toEqual([item('x')]);
    expect(new Set(all.get('component:default/a'))).toEqual(
      new Set(await own.getInventory('component:default/a')),
    );
  });

  it('replaces an inventory in batches, and only that entity’s', async () => {
    const many = Array.from({ length: 250 }, (_, i) => item(`cm-${i}`));
    await store.replaceInventory('component:default/big', 'sandbox', many);
    await store.replaceInventory('component:default/other', 'sandbox', [
      item('mine'),
    ]);
    const big = await store.getInventory('component:default/big');
    expect(big).toHaveLength(250);
    expect(new Set(big.map(i => i.key.name))).toEqual(
      new Set(many.map(i => i.key.name)),
    );
    await store.replaceInventory('component:default/big', 'sandbox', [
      item('cm-7', 'new'),
    ]);
    expect(await store.getInventory('component:default/big')).toEqual([
      item('cm-7', 'new'),
    ]);
    expect(await store.getInventory('component:default/other')).toEqual([
      item('mine'),
    ]);
  });

  it('keeps the old inventory when a replacement fails half-way', async () => {
    await store.replaceInventory('component:default/atomic', 'sandbox', [
      item('kept'),
    ]);
    // 151 rows: the last one has no hash (a NOT NULL column), so the insert fails after one batch.
    const broken = [
      ...Array.from({ length: 150 }, (_, i) => item(`x-${i}`)),
      { ...item('x-150'), hash: null as unknown as string },
    ];
    // better-sqlite3's native addon is loaded once per jest worker, so its errors may come from
    // another test file's realm and fail `instanceof Error`: compare the message instead.
    const outcome = await store
      .replaceInventory('component:default/atomic', 'sandbox', broken)
      .then(
        () => 'resolved',
        (error: { message?: string }) => `rejected: ${error?.message}`,
      );
    expect(outcome).toMatch(/^rejected: .*(NOT NULL|null value)/i);
    expect(await store.getInventory('component:default/atomic')).toEqual([
      item('kept'),
    ]);
  });

  it('serializes concurrent replacements of one inventory: the last one wins whole', async () => {
    // Two replicas (or a pass and a sync) finishing the same entity at once.
    const sets = Array.from({ length: 8 }, (_set, w) =>
      Array.from({ length: 20 }, (_, i) =>
        item(`c-${(i + w * 7) % 40}`, `w${w}`),
      ),
    );
    const results = await Promise.allSettled(
      sets.map(set =>
        store.replaceInventory('component:default/raced', 'sandbox', set),
      ),
    );
    expect(results.filter(r => r.status === 'rejected')).toEqual([]);
    const final = await store.getInventory('component:default/raced');
    const sorted = (items: InventoryItem[]) =>
      items.map(i => `${i.key.name}:${i.hash}`).sort();
    expect(sets.map(sorted)).toContainEqual(sorted(final));
  });
});
