import { createInMemoryReconcileStore } from '../../__testUtils__/inMemoryReconcileStore';

describe('ObjectClaims', () => {
  it('records what each entity declares and answers who else declares the same', async () => {
    const { knex, store } = await createInMemoryReconcileStore();
    try {
      const { claims } = store;
      expect(
        await claims.declare('component:default/a', 'c1', [
          '/ConfigMap/ns/x',
          '/ConfigMap/ns/y',
        ]),
      ).toEqual(new Map());
      const others = await claims.declare('component:default/b', 'c1', [
        '/ConfigMap/ns/y',
      ]);
      expect(others).toEqual(
        new Map([['/ConfigMap/ns/y', ['component:default/a']]]),
      );
      // The same object on another cluster is another object.
      expect(
        await claims.declare('component:default/c', 'c2', ['/ConfigMap/ns/y']),
      ).toEqual(new Map());
      // Declaring again replaces: a no longer declares y.
      await claims.declare('component:default/a', 'c1', ['/ConfigMap/ns/x']);
      expect(
        await claims.declare('component:default/b', 'c1', ['/ConfigMap/ns/y']),
      ).toEqual(new Map());
      expect((await claims.list()).get('c1')).toEqual(
        new Map([
          ['/ConfigMap/ns/x', ['component:default/a']],
          ['/ConfigMap/ns/y', ['component:default/b']],
        ]),
      );
      expect(
        await claims.releaseAllExcept(new Set(['component:default/a'])),
      ).toBe(2);
      expect([...(await claims.list()).keys()]).toEqual(['c1']);
      await claims.release('component:default/a');
      expect((await claims.list()).size).toBe(0);
    } finally {
      await knex.destroy();
    }
  });

  it('takes the same declaration twice at once without failing', async () => {
    const { knex, store } = await createInMemoryReconcileStore();
    try {
      const ids = Array.from({ length: 250 }, (_, i) => `/ConfigMap/ns/o${i}`);
      await Promise.all([
        store.claims.declare('component:default/a', 'c', ids),
        store.claims.declare('component:default/a', 'c', ids),
      ]);
      expect((await store.claims.list()).get('c')!.size).toBe(250);
    } finally {
      await knex.destroy();
    }
  });
});
