import type { Knex } from 'knex';

/** Losing a race with another replica to create knex's own tables, or to take its lock. */
function isMigrationRace(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return (
    e?.name === 'MigrationLocked' ||
    /already exists|pg_type_typname_nsp_index/.test(e?.message ?? '')
  );
}

/**
 * Runs the plugin's migrations. Replicas starting at once on an empty database race: knex
 * creates its bookkeeping tables without a lock, and fails rather than waits on a held one.
 * The loser retries until the winner is done.
 */
export async function migrateLatest(
  knex: Knex,
  directory: string,
  attempts = 10,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory });
      return;
    } catch (error) {
      if (attempt >= attempts || !isMigrationRace(error)) throw error;
      await new Promise(resolve => setTimeout(resolve, 200 * attempt));
    }
  }
}
