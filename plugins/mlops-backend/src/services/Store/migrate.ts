import type { Knex } from 'knex';

/**
 * Losing a race with another replica to create knex's own tables, or to take its lock.
 * PostgreSQL reports two concurrent CREATE TABLEs of one name as a unique violation in its
 * catalog: on the type (pg_type_typname_nsp_index) or on the relation
 * (pg_class_relname_nsp_index), whichever the loser reaches first.
 */
function isMigrationRace(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return (
    e?.name === 'MigrationLocked' ||
    /already exists|pg_type_typname_nsp_index|pg_class_relname_nsp_index/.test(
      e?.message ?? '',
    )
  );
}

/**
 * Two replicas creating knex's lock table at once can each insert its one row; knex then
 * counts two rows unlocked, takes that as "already locked" and never migrates. With every
 * row unlocked, keeping the first is what a single creator would have left.
 */
async function dropDuplicateLockRows(knex: Knex) {
  const rows: Array<{ index: number; is_locked: number }> = await knex(
    'knex_migrations_lock',
  )
    .select('index', 'is_locked')
    .orderBy('index');
  if (rows.length > 1 && rows.every(r => Number(r.is_locked) === 0)) {
    await knex('knex_migrations_lock')
      .whereNot('index', rows[0].index)
      .delete();
  }
}

/**
 * Runs the plugin's migrations. Replicas starting at once on an empty database race: knex
 * creates its bookkeeping tables without a lock, and fails rather than waits on a held one.
 * The loser retries until the winner is done, for up to `waitMs` (a loaded database may take
 * several seconds to migrate).
 */
export async function migrateLatest(
  knex: Knex,
  directory: string,
  waitMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory });
      return;
    } catch (error) {
      if (Date.now() >= deadline || !isMigrationRace(error)) throw error;
      if ((error as Error).name === 'MigrationLocked') {
        await dropDuplicateLockRows(knex);
      }
      await new Promise(resolve =>
        setTimeout(resolve, Math.min(1_000, 200 * attempt)),
      );
    }
  }
}
