import knexFactory from 'knex';
import { ReconcileStore } from '../services/Store/ReconcileStore';

/** A ReconcileStore on an in-memory SQLite database; destroy `knex` when done. */
export async function createInMemoryReconcileStore() {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const store = await ReconcileStore.create({
    getClient: async () => knex,
  } as any);
  return { knex, store };
}
