import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ReconcileStore } from '../Store/ReconcileStore';
import { ReconcileRecords } from './ReconcileRecords';

const record = (name: string, result: MlopsReconcileStatus['result']) =>
  ({ entityRef: `component:default/${name}`, result } as MlopsReconcileStatus);

class FakeStore {
  rows = new Map<string, MlopsReconcileStatus>();
  failSave = false;
  getStatus = jest.fn(async (entityRef: string) => this.rows.get(entityRef));
  listStatuses = jest.fn(async ({ limit }: { limit?: number } = {}) =>
    [...this.rows.values()].slice(0, limit),
  );
  async saveStatus(status: MlopsReconcileStatus) {
    if (this.failSave) throw new Error('database gone');
    this.rows.set(status.entityRef, status);
  }
  /** Like the real store: a later attempt already saved is kept. */
  async saveStatuses(statuses: MlopsReconcileStatus[]) {
    if (this.failSave) throw new Error('database gone');
    for (const status of statuses) {
      const held = this.rows.get(status.entityRef);
      if (!held || held.lastAttemptAt <= status.lastAttemptAt) {
        this.rows.set(status.entityRef, status);
      }
    }
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

function setup(maxRecords = 100) {
  let now = 0;
  const db = new FakeStore();
  const snapshot = new ReconcileRecords(db, {
    staleMs: 2_000,
    maxRecords,
    maxEntries: 100,
    oversizeRecheckMs: 60_000,
    now: () => now,
  });
  const store = snapshot.writeThrough(db as unknown as ReconcileStore);
  return { db, snapshot, store, advance: (ms: number) => (now += ms) };
}

describe('ReconcileRecords', () => {
  it('answers many reads, present and absent, from one bulk query', async () => {
    const { db, snapshot } = setup();
    db.rows.set('component:default/a', record('a', 'synced'));
    db.rows.set('component:default/b', record('b', 'failed'));
    const reads = await Promise.all(
      ['a', 'b', 'none', 'a', 'b'].map(n =>
        snapshot.get(`component:default/${n}`),
      ),
    );
    expect(reads.map(r => r?.result)).toEqual([
      'synced',
      'failed',
      undefined,
      'synced',
      'failed',
    ]);
    await snapshot.get('component:default/a');
    expect(db.listStatuses).toHaveBeenCalledTimes(1);
    expect(db.getStatus).not.toHaveBeenCalled();
  });

  it("shows this process's own write at once, and leaves the store's reads uncached", async () => {
    const { db, snapshot, store } = setup();
    await expect(snapshot.get('component:default/a')).resolves.toBeUndefined();
    await store.saveStatus(record('a', 'refused'));
    await expect(snapshot.get('component:default/a')).resolves.toMatchObject({
      result: 'refused',
    });
    expect(db.listStatuses).toHaveBeenCalledTimes(1);
    await store.getStatus('component:default/a');
    await store.getStatus('component:default/a');
    expect(db.getStatus).toHaveBeenCalledTimes(2);
  });

  it('shows a batch at once, but not over a later attempt saved meanwhile', async () => {
    const { db, snapshot, store } = setup();
    const at = (
      name: string,
      result: MlopsReconcileStatus['result'],
      t: string,
    ) =>
      ({ ...record(name, result), lastAttemptAt: t } as MlopsReconcileStatus);
    await snapshot.get('component:default/a');
    await store.saveStatus(at('a', 'failed', '2026-01-01T00:05:00.000Z'));
    await store.saveStatuses([
      at('a', 'synced', '2026-01-01T00:01:00.000Z'),
      at('b', 'synced', '2026-01-01T00:01:00.000Z'),
    ]);
    const [a, b] = await Promise.all(
      ['a', 'b'].map(n => snapshot.get(`component:default/${n}`)),
    );
    expect(a?.result).toBe('failed');
    expect(b?.result).toBe('synced');
    expect(db.listStatuses).toHaveBeenCalledTimes(1);

    db.failSave = true;
    await expect(
      store.saveStatuses([at('b', 'refused', '2026-01-01T00:09:00.000Z')]),
    ).rejects.toThrow('database gone');
    // A failed batch drops the snapshot: the next read asks the database again.
    await snapshot.get('component:default/b');
    expect(db.listStatuses).toHaveBeenCalledTimes(2);
  });

  it('keeps a write that finishes while an older bulk load is still running', async () => {
    const { db, snapshot, store } = setup();
    const stale = deferred<MlopsReconcileStatus[]>();
    db.listStatuses.mockReturnValueOnce(stale.promise);
    const first = snapshot.get('component:default/a');
    await store.saveStatus(record('a', 'synced'));
    stale.resolve([record('a', 'failed')]);
    await expect(first).resolves.toMatchObject({ result: 'synced' });
    await expect(snapshot.get('component:default/a')).resolves.toMatchObject({
      result: 'synced',
    });
  });

  it("reloads in the background near expiry and at once after it, showing another replica's write", async () => {
    const { db, snapshot, advance } = setup();
    db.rows.set('component:default/a', record('a', 'synced'));
    await snapshot.get('component:default/a');
    db.rows.set('component:default/a', record('a', 'failed'));

    advance(1_600);
    await expect(snapshot.get('component:default/a')).resolves.toMatchObject({
      result: 'synced',
    });
    expect(db.listStatuses).toHaveBeenCalledTimes(2);
    await expect(snapshot.get('component:default/a')).resolves.toMatchObject({
      result: 'failed',
    });

    db.rows.set('component:default/a', record('a', 'refused'));
    advance(2_000);
    await expect(snapshot.get('component:default/a')).resolves.toMatchObject({
      result: 'refused',
    });
    expect(db.listStatuses).toHaveBeenCalledTimes(3);
  });

  it('does not keep a failed bulk load: the next read retries', async () => {
    const { db, snapshot } = setup();
    db.rows.set('component:default/a', record('a', 'synced'));
    db.listStatuses.mockRejectedValueOnce(new Error('database gone'));
    await expect(snapshot.get('component:default/a')).rejects.toThrow(
      'database gone',
    );
    await expect(snapshot.get('component:default/a')).resolves.toMatchObject({
      result: 'synced',
    });
    expect(db.listStatuses).toHaveBeenCalledTimes(2);
  });

  it('drops the snapshot when a write fails, since the row may have changed', async () => {
    const { db, snapshot, store } = setup();
    await snapshot.get('component:default/a');
    db.failSave = true;
    await expect(store.saveStatus(record('a', 'synced'))).rejects.toThrow();
    await snapshot.get('component:default/a');
    expect(db.listStatuses).toHaveBeenCalledTimes(2);
  });

  it('does not keep a bulk load that was running when a write failed', async () => {
    const { db, snapshot, store, advance } = setup();
    advance(5_000);
    const running = deferred<MlopsReconcileStatus[]>();
    db.listStatuses.mockReturnValueOnce(running.promise);
    const first = snapshot.get('component:default/a');
    db.failSave = true;
    await expect(store.saveStatus(record('a', 'synced'))).rejects.toThrow();
    running.resolve([]);
    await first;
    await snapshot.get('component:default/a');
    expect(db.listStatuses).toHaveBeenCalledTimes(2);
  });

  it('reads per entity when there are more records than it may hold', async () => {
    const { db, snapshot, store, advance } = setup(2);
    ['a', 'b', 'c'].forEach(n =>
      db.rows.set(`component:default/${n}`, record(n, 'synced')),
    );
    await expect(snapshot.get('component:default/c')).resolves.toMatchObject({
      result: 'synced',
    });
    expect(db.listStatuses).toHaveBeenCalledWith({ limit: 3 });
    expect(db.getStatus).toHaveBeenCalledTimes(1);
    // Over size, each record is kept for the window; another replica's write shows after it.
    db.rows.set('component:default/c', record('c', 'refused'));
    await expect(snapshot.get('component:default/c')).resolves.toMatchObject({
      result: 'synced',
    });
    expect(db.getStatus).toHaveBeenCalledTimes(1);
    advance(2_000);
    await expect(snapshot.get('component:default/c')).resolves.toMatchObject({
      result: 'refused',
    });

    await store.saveStatus(record('c', 'failed'));
    await expect(snapshot.get('component:default/c')).resolves.toMatchObject({
      result: 'failed',
    });

    advance(30_000);
    await snapshot.get('component:default/a');
    expect(db.listStatuses).toHaveBeenCalledTimes(1);
  });
});
